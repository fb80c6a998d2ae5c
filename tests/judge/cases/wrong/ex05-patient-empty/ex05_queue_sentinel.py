# mistake: the consumer gives up once the queue has looked empty 30 times in a row, the result reader after 300: more looks than the grader's slow producer once kept quiet for (red team, round 12)
# caught-by: consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel pipeline_one_consumer
# diagnosis: empty
# line: 23
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
    # still racy: gives up once the queue has looked empty 30 times in a row (30 ms)
    misses = 0
    while misses < 30:
        if q.empty():
            misses += 1
            time.sleep(0.001)
            continue
        misses = 0
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
    misses = 0
    while misses < 300:  # racy too: out.empty() for 0.3 s in a row means "done"
        if out.empty():
            misses += 1
            time.sleep(0.001)
            continue
        misses = 0
        results.append(out.get())
    for worker in workers:
        worker.join()
    return results
