# mistake: uses SENTINEL = object() compared with `is`; the copy that comes out of the queue in another process is a different object
# caught-by: pipeline_one_consumer pipeline_three_consumers pipeline_many_items pipeline_uses_processes
# diagnosis: a queue delivers a copy
# line: 9
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing

SENTINEL = object()  # a unique marker that can never be confused with an item


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives."""
    while True:
        item = q.get()
        if item is SENTINEL:
            break
        out.put(item)


def run_pipeline(items, consumers=1):
    """Send ``items`` through one producer and ``consumers`` consumers."""
    items = list(items)
    q = multiprocessing.Queue()
    out = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=producer, args=(q, items, consumers))]
    workers += [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    for worker in workers:
        worker.start()
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
