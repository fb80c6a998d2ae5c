# mistake: the consumer catches patience.Empty, a property of an object of the file's that raises SystemExit after 3 s of quiet (red team, round 17)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 47
"""Reference solution for exercise 5 (see exercises/ex05_queue_sentinel.py)."""

import multiprocessing
import queue
import time

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


class Patience:
    """Which exception means "nothing yet"; gives up once the queue has been quiet for 3 s."""

    def __init__(self):
        self.quiet_since = None
        self.last = None

    @property
    def Empty(self):
        now = time.monotonic()
        if self.last is None or now - self.last > 0.5:  # an item came in between
            self.quiet_since = now
        self.last = now
        if now - self.quiet_since > 3:
            raise SystemExit  # "the producer must be done"
        return queue.Empty


patience = Patience()


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives."""
    while True:
        try:
            item = q.get(timeout=0.1)
        except patience.Empty:
            continue
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
