# mistake: the consumer reads iter(partial(ask, q), SENTINEL), where ask returns SENTINEL once nothing has come for 3 s (red team, round 15)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 29
# mistake: the consumer gives up once nothing has come for 3 s (a clock of its own), longer than the grader's slow producer keeps quiet, so every item arrives here
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 24
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import functools
import multiprocessing
import queue
import time

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def ask(q, patience=3.0):
    last = time.monotonic()
    while time.monotonic() - last < patience:
        try:
            return q.get(timeout=0.1)
        except queue.Empty:
            continue
    return SENTINEL  # "the producer must be done"


def consumer(q, out):
    for item in iter(functools.partial(ask, q), SENTINEL):
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
