# mistake: makes Pool(1), a single worker, whatever processes says
# caught-by: pool_runs_workers_at_once
# diagnosis: a Pool of 1 workers
# line: 12
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(1) as pool:
        return pool.map(func, items)


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
