# mistake: the consumer tries get(timeout=0.01) a number of times of its own (reversed(range(50_000_000))), then stops as if the producer were done (red team, round 14)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 22
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing
import queue

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    for _ in reversed(range(50_000_000)):  # a number of tries of its own, then "the producer must be done"
        try:
            item = q.get(timeout=0.01)
        except queue.Empty:
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
