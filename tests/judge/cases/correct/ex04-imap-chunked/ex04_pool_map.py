# variant: uses the ordered pool.imap with an explicit chunksize, and builds the list itself
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    items = list(items)
    chunksize = max(1, len(items) // (processes * 4))
    with multiprocessing.Pool(processes) as pool:
        return list(pool.imap(func, items, chunksize=chunksize))


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
