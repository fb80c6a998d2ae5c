# mistake: hands the pool a lambda wrapping func, which cannot be pickled
# caught-by: pool_runs_workers_at_once results_in_order any_function
# diagnosis: hands the pool a lambda
# line: 13
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    with multiprocessing.Pool(processes) as pool:
        return pool.map(lambda item: func(item), items)


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
