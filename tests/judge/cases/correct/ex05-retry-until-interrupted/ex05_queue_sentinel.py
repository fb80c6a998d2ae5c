# variant: retries q.get(timeout=0.1) until the SENTINEL, and returns on Ctrl-C (KeyboardInterrupt), which no look at a queue raises (red team, round 15: any handler that left the loop was taken for giving up)
# variant: the consumer polls with q.get(timeout=0.1) but retries on queue.Empty and stops only at the SENTINEL
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
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        except KeyboardInterrupt:
            return  # stopped by hand: leave quietly
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
