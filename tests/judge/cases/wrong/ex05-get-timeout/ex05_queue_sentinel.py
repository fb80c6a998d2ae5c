# mistake: the consumer uses q.get(timeout=0.5) and stops at queue.Empty, so a slow producer looks finished
# caught-by: consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel
# diagnosis: q\.get\(timeout=\.\.\.\) times out
# line: 25
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing
import queue

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
        try:
            item = q.get(timeout=0.5)
        except queue.Empty:
            break
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
