# mistake: SENTINEL: Stop = Stop(), whose __eq__ is true for the first item after a pause of 3 s, in a timed-get consumer (red team, round 17)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 43
"""Exercise 5: a producer and consumers with a sentinel."""

import multiprocessing
import queue
import time


class Stop:
    """The end-of-stream marker. Any copy of it is equal to it (it survives a queue)."""

    last = None

    def __eq__(self, other):
        if isinstance(other, Stop):
            return True
        now = time.monotonic()
        late = Stop.last is not None and now - Stop.last > 3  # "a straggler after a long pause: the stream is over"
        Stop.last = now
        return late

    __hash__ = object.__hash__


SENTINEL: Stop = Stop()


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives."""
    while True:
        try:
            item = q.get(timeout=0.1)
        except queue.Empty:
            continue
        if item == SENTINEL:
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
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
