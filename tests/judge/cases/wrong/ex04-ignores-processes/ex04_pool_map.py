# mistake: makes Pool() with the default number of workers, ignoring the processes argument
# caught-by: pool_runs_workers_at_once
# diagnosis: without saying how many workers
# line: 12
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool() as pool:
        return pool.map(func, items)


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
