# mistake: the consumer gives up once nothing has come for 3 s (a clock of its own), its q.get(timeout=0.1) in a helper of its own (red team, round 14)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 21
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue
import time

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def ask(q):
    return q.get(timeout=0.1)


def consumer(q, out):
    last = time.monotonic()
    while True:
        try:
            item = ask(q)
        except queue.Empty:
            if time.monotonic() - last > 3:
                break  # "the producer must be done"
            continue
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
