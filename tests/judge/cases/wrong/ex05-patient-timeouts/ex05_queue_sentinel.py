# mistake: the consumer and the result reader give up after 25 get(timeout=...) timeouts in a row: more than the grader's slow producer once kept quiet for (red team, round 12)
# caught-by: consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel pipeline_one_consumer
# diagnosis: times out
# line: 24
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    # racy: gives up once q.get(timeout=0.05) has timed out 25 times in a row
    misses = 0
    while misses < 25:
        try:
            item = q.get(timeout=0.05)
        except queue.Empty:
            misses += 1
            continue
        misses = 0
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
    while misses < 25:  # racy too: "done" once out.get(timeout=0.2) timed out 25 times in a row
        try:
            results.append(out.get(timeout=0.2))
        except queue.Empty:
            misses += 1
            continue
        misses = 0
    for worker in workers:
        worker.join()
    return results
