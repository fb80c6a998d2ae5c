# mistake: tries the first item with pool.apply, then collects the rest with imap_unordered, in the order they finish
# caught-by: results_in_order pool_runs_workers_at_once
# diagnosis: uses imap_unordered
# line: 18
"""Exercise 4: a pool of worker processes (student attempt: warm-up then imap_unordered)."""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a ``Pool`` of ``processes`` workers."""
    items = list(items)
    if not items:
        return []
    with multiprocessing.Pool(processes) as pool:
        # check that func works in a worker before sending everything
        first = pool.apply(func, (items[0],))
        rest = list(pool.imap_unordered(func, items[1:]))
    return [first] + rest


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
