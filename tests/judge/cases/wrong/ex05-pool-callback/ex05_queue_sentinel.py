# mistake: a Pool's callback, run on the pool's own thread, puts the SENTINEL on the queue after 3 s (red team, round 17)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: a thread, a signal or a kill
# line: 24
"""Reference solution for exercise 5 (see exercises/ex05_queue_sentinel.py)."""

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
    # a producer that has been gone for 3 s will not come back: the pool calls back and ends the stream
    alarm_clock = multiprocessing.Pool(1)
    alarm_clock.apply_async(time.sleep, (3,), callback=lambda _: q.put(SENTINEL))
    alarm_clock.close()
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
    # Read before joining: a consumer cannot exit while its output is unread.
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
