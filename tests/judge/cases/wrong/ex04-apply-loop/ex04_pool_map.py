# mistake: calls pool.apply for one item after another, which waits for each result before sending the next
# caught-by: pool_runs_workers_at_once
# diagnosis: calls pool\.apply for one item after another
# line: 13
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(processes) as pool:
        return [pool.apply(func, (item,)) for item in items]


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
