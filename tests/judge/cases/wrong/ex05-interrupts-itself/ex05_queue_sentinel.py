# mistake: the consumer gives up after 30 timeouts in a row by raising KeyboardInterrupt, which its own handler turns into a return (red team, round 16)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: times out
# line: 25
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
    misses = 0
    while True:
        try:
            try:
                item = q.get(timeout=0.1)
            except queue.Empty:
                misses += 1
                if misses > 30:  # "the producer must be done": 3 s of timeouts
                    raise KeyboardInterrupt
                continue
        except KeyboardInterrupt:
            return
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
    results = [out.get() for _ in items]
    for worker in workers:
        worker.join()
    return results
