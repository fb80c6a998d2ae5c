# variant: uses Pool(processes=...) without a with block, closing and joining the pool itself
"""Exercise 4: a pool of worker processes."""

from multiprocessing import Pool


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    pool = Pool(processes=processes)
    try:
        results = pool.map(func, items)
    finally:
        pool.close()
        pool.join()
    return results


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
