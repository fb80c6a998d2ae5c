# mistake: never joins its processes, after 400 calls of time.sleep(0) on two alternating lines, which once filled the grader's list of the calls it follows (red team, round 13)
# caught-by: pipeline_uses_processes
# diagnosis: returned without joining \d+ of its processes
# line: 28
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing
import time

SENTINEL = None  # put after the last item; no real item is ever None


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
    for _ in range(200):  # 400 calls the grader records: it keeps no more
        time.sleep(0)
        time.sleep(0)
    items = list(items)
    q = multiprocessing.Queue()
    out = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=producer, args=(q, items, consumers))]
    workers += [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    for worker in workers:
        worker.start()
    return [out.get() for _ in items]  # never joins
