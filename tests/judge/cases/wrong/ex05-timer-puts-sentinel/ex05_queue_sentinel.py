# mistake: a threading.Timer puts a SENTINEL on the consumer's queue after 3 s (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: a thread, a signal or a kill
# line: 26
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue
import threading
import time

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def give_up(q):
    q.put(SENTINEL)


def consumer(q, out):
    timer = threading.Timer(3, give_up, (q,))  # "3 s is plenty for any producer"
    timer.daemon = True
    timer.start()
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        if item is SENTINEL:
            break
        out.put(item)
    timer.cancel()


def run_pipeline(items, consumers=1):
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
