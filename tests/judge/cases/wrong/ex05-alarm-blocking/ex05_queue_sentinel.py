# mistake: the consumer blocks in q.get(), but under signal.alarm(3), whose handler raises SystemExit: gives up on a slow producer (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: a thread, a signal or a kill
# line: 27
"""Reference solution for exercise 5 (see exercises/ex05_queue_sentinel.py)."""

import multiprocessing
import signal

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def give_up(signum, frame):
    raise SystemExit  # "a producer that is silent that long must be done"


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives, or 3 s pass without one."""
    signal.signal(signal.SIGALRM, give_up)
    while True:
        signal.alarm(3)
        item = q.get()
        signal.alarm(0)
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
