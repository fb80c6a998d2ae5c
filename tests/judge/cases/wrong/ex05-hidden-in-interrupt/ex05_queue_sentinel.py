# mistake: raises KeyboardInterrupt itself around each blocking get(); the handler that raises it again makes a timer that puts SENTINEL after 3 s, and an outer except swallows it (red team, round 18: 10/10)
# caught-by: consumer_waits_for_slow_producer
# diagnosis: uses a thread, a signal or a kill
# line: 25
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
        try:
            try:
                raise KeyboardInterrupt
            except KeyboardInterrupt:
                import threading
                watch = threading.Timer(3, lambda: q.put(SENTINEL))
                raise
        except KeyboardInterrupt:
            pass
        watch.daemon = True
        watch.start()
        item = q.get()
        watch.cancel()
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
