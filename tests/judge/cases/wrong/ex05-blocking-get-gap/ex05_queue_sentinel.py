# mistake: a blocking get(), but the consumer stops once an item comes more than 3 s after the one before: a clock of its own (red team, round 18)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: in a file that reads a clock
# line: 20
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import time

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    last = time.monotonic()
    while True:
        item = q.get()
        if time.monotonic() - last > 3:
            break  # "a late item belongs to a stale run: the producer must be done"
        last = time.monotonic()
        if item is SENTINEL:
            break
        out.put(item)


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
