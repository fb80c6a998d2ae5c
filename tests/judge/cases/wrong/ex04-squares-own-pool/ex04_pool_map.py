# mistake: parallel_squares makes its own Pool instead of calling pool_map
# caught-by: parallel_squares_uses_pool_map
# diagnosis: does not call pool_map
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
    with multiprocessing.Pool(processes) as pool:
        return pool.map(square, numbers)
