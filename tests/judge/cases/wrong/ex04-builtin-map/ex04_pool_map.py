# mistake: uses the builtin map, so every item is handled in the parent, one at a time
# caught-by: pool_runs_workers_at_once
# diagnosis: uses the builtin map
# line: 11
"""Exercise 4: a pool of worker processes."""



def pool_map(func, items, processes=4):
    """Apply ``func`` to every item on a pool of ``processes`` workers, in order."""
    return list(map(func, items))


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
