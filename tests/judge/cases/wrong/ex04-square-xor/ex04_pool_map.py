# mistake: writes n ^ 2 (bitwise xor) instead of n * n
# caught-by: square parallel_squares_uses_pool_map
# diagnosis: bitwise exclusive or
# line: 18
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def square(n):
    """Return ``n * n``."""
    return n ^ 2


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
