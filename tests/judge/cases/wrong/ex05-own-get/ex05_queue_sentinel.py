# mistake: the consumer asks an object of its own, whose get() gives the SENTINEL once nothing has come for 3 s, whenever q.get(timeout=0.1) times out (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 41
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue
import time

SENTINEL = None
WAIT = "wait"


class Patience:
    """Gives SENTINEL once nothing has come for 3 s."""

    def __init__(self):
        self.last = time.monotonic()

    def put(self, item):
        self.last = time.monotonic()

    def get(self):
        return SENTINEL if time.monotonic() - self.last > 3 else WAIT


patience = Patience()


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    patience.put(None)
    while True:
        try:
            item = q.get(timeout=0.1)
            patience.put(item)
        except queue.Empty:
            item = patience.get()
            if item is WAIT:
                continue
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
