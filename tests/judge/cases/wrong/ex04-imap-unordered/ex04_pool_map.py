# mistake: uses pool.imap_unordered, so the results come back in the order they finish
# caught-by: results_in_order
# diagnosis: uses imap_unordered
# line: 13
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(processes) as pool:
        return list(pool.imap_unordered(func, items))


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
