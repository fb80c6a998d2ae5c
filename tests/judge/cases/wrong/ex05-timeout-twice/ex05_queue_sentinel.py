# mistake: the consumer guesses with q.get(timeout=0.5), trying twice before it takes the producer for finished
# caught-by: consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel pipeline_one_consumer
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
    while True:
        try:
            item = q.get(timeout=0.5)
        except queue.Empty:
            try:
                item = q.get(timeout=0.5)   # one more try, then assume the producer is done
            except queue.Empty:
                break
        if item is SENTINEL:
            break
        out.put(item)


def run_pipeline(items, consumers=1):
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
