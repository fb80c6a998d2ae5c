# variant: the consumer wakes up with q.get(timeout=wake_up_every), set once in the consumer, until the SENTINEL (red team, round 17: it had lost points)
"""Reference solution for exercise 5 (see exercises/ex05_queue_sentinel.py)."""

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
    wake_up_every = 0.1  # seconds: Ctrl-C works on every platform
    while True:
        try:
            item = q.get(timeout=wake_up_every)
        except queue.Empty:
            continue
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
    # Read before joining: a consumer cannot exit while its output is unread.
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
