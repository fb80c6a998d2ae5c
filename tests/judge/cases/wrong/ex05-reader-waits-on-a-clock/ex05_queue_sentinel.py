# mistake: run_pipeline stops reading out once nothing has come for 3 s (a clock of its own): consumers slower than that lose their last results (red team, round 16)
# caught-by: pipeline_one_consumer
# diagnosis: without waiting
# line: 39
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


def consumer(q, out):
    while True:
        item = q.get()
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
    results = []
    last = time.monotonic()
    while len(results) < len(items) and time.monotonic() - last < 3:  # "the consumers must be done"
        try:
            results.append(out.get(timeout=0.1))
        except queue.Empty:
            continue
        last = time.monotonic()
    for worker in workers:
        worker.join()
    return results
