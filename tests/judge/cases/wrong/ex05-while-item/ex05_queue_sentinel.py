# mistake: the consumer loops `while item:`, which stops at the first falsy item as well as at the sentinel
# caught-by: consumer_keeps_falsy_items pipeline_one_consumer pipeline_three_consumers
# diagnosis: tests the item's truth
# line: 23
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives."""
    item = q.get()
    while item:
        out.put(item)
        item = q.get()


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
