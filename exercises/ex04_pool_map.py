"""Exercise 4: a pool of worker processes.

Starting a process per item is wasteful when there are many items. A
``multiprocessing.Pool`` starts a fixed number of worker processes once and
hands them the items, a few at a time. ``pool.map(func, items)`` returns the
results *in the order of the items*, however the work was shared out.

Use the pool as a context manager so that its workers are stopped when you
are done:

    with multiprocessing.Pool(processes) as pool:
        ...

What goes wrong in practice: the builtin ``map`` (no processes at all),
``Pool(1)`` or a loop of ``pool.apply`` (one item at a time), ignoring the
``processes`` argument, or collecting results as they finish (out of order).
Everything handed to a pool is *pickled*, so ``func`` must be a function
defined at the top level of a module: a lambda fails.

Docs: https://docs.python.org/3/library/multiprocessing.html#using-a-pool-of-workers
"""

import multiprocessing


def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a ``Pool`` of ``processes`` workers.

    Return the list of results in the order of ``items``.
    """
    raise NotImplementedError("use multiprocessing.Pool(processes) and its map method")


def square(n):
    """Return ``n * n``."""
    raise NotImplementedError


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    raise NotImplementedError
