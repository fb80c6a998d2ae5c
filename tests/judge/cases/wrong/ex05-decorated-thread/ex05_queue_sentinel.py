# mistake: the consumer is decorated to run in a thread that the caller gives up on after join(3) (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: a thread, a signal or a kill
# line: 28
"""Reference solution for exercise 5 (see exercises/ex05_queue_sentinel.py)."""

import functools
import multiprocessing
import threading

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def at_most(seconds):
    """Give up on the call after ``seconds`` ("the producer must be done by then")."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            worker = threading.Thread(target=function, args=args, kwargs=kwargs, daemon=True)
            worker.start()
            worker.join(seconds)

        return wrapper

    return decorate


@at_most(3)
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
    # Read before joining: a consumer cannot exit while its output is unread.
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
