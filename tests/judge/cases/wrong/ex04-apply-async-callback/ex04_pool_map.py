# mistake: collects results with apply_async callbacks, in the order the tasks finish
# caught-by: results_in_order
# diagnosis: collects the results in apply_async callbacks
# line: 14
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    results = []
    with multiprocessing.Pool(processes) as pool:
        pending = [pool.apply_async(func, (item,), callback=results.append) for item in items]
        for task in pending:
            task.wait()
    return results


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
