# mistake: the consumer puts a SENTINEL on its own queue once nothing has come for 3 s (a clock in a property) (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 36
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue
import time

SENTINEL = None


class Patience:
    def __init__(self):
        self.last = time.monotonic()

    def append(self, item):
        self.last = time.monotonic()

    @property
    def over(self):
        return time.monotonic() - self.last > 3


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    patience = Patience()
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            if patience.over:
                q.put(SENTINEL)  # "the producer must be done"
            continue
        if item is SENTINEL:
            break
        out.put(item)
        patience.append(item)


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
