# variant: run_pipeline reads out with a counting while loop, then joins the producer and consumers separately
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
    feeder = multiprocessing.Process(target=producer, args=(q, items, consumers))
    readers = [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    feeder.start()
    for reader in readers:
        reader.start()
    results = []
    while len(results) < len(items):
        results.append(out.get())
    feeder.join()
    for reader in readers:
        reader.join()
    return results
