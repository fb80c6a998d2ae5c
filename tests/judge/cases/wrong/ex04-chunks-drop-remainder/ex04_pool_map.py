# mistake: splits the items into one chunk of len(items) // processes per worker, losing the remainder
# caught-by: results_in_order any_function
# diagnosis: \d+ results for \d+ items
# line: 16
"""Exercise 4: a pool of worker processes (student attempt: one chunk per worker)."""

import multiprocessing


def _run_chunk(job):
    """Apply func to every item of one chunk, in order (runs in a worker)."""
    func, chunk = job
    return [func(item) for item in chunk]


def pool_map(func, items, processes=4):
    """Split the items into one chunk per worker, map the chunks, and flatten."""
    items = list(items)
    size = len(items) // processes
    chunks = [items[i * size:(i + 1) * size] for i in range(processes)]
    with multiprocessing.Pool(processes) as pool:
        chunk_results = pool.map(_run_chunk, [(func, chunk) for chunk in chunks])
    return [result for chunk in chunk_results for result in chunk]


def square(n):
    """Return ``n * n``."""
    return n * n


def parallel_squares(numbers, processes=4):
    """Return the squares of ``numbers``, computed with ``pool_map``."""
    return pool_map(square, numbers, processes)
