# mistake: parallel_squares passes pool_map a lambda instead of square, which the pool cannot pickle
# caught-by: parallel_squares_uses_pool_map
# diagnosis: hands the pool a lambda
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
    return pool_map(lambda n: n * n, numbers, processes)
