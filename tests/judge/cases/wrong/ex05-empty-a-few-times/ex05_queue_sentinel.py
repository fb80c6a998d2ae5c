# mistake: the consumer still trusts q.empty(), only asking ten times in a row before it gives up
# caught-by: consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel pipeline_one_consumer
# diagnosis: looks empty
# line: 21
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""
import multiprocessing

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    while True:
        for _ in range(10):          # "make sure" the queue is really empty
            if not q.empty():
                break
        else:
            return
        item = q.get()
        if item is SENTINEL:
            return
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
