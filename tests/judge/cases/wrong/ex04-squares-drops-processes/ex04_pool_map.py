# mistake: parallel_squares calls pool_map without passing processes on, so it always uses 4 workers
# caught-by: parallel_squares_uses_pool_map
# diagnosis: with processes=4 instead of
# line: 23
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers)
