# variant: the reference, and run_pipeline prints how long it took (a clock in the file that no loop reads)
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing
import time

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
    started = time.perf_counter()
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
    print(f"the pipeline took {time.perf_counter() - started:.2f} s")
    return results
