# mistake: the consumer gives up once nothing has come for 3 s, by a clock kept in a class of its own (patience.exhausted()) (red team, round 14)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 38
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue
import time

SENTINEL = None


class Patience:
    """How long the queue has been quiet for."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.restart()

    def restart(self):
        self.since = time.monotonic()

    def exhausted(self):
        return time.monotonic() - self.since > self.seconds


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    patience = Patience(3)
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            if patience.exhausted():
                break  # "the producer must be done"
            continue
        patience.restart()
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
