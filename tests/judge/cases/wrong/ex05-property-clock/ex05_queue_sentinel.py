# mistake: the consumer gives up once a property of its own class, which reads the clock, says 3 s have passed (red team, round 15)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 41
# mistake: the consumer gives up once nothing has come for 3 s (a clock of its own), longer than the grader's slow producer keeps quiet, so every item arrives here
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 24
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


class Patience:
    def __init__(self, seconds):
        self.seconds = seconds
        self.renew()

    def renew(self):
        self.last = time.monotonic()

    @property
    def left(self):
        return time.monotonic() - self.last < self.seconds


def consumer(q, out):
    patience = Patience(3)
    while patience.left:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        patience.renew()
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
