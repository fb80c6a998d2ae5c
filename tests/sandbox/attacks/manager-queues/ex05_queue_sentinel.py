"""Same broken logic as ex05-empty-loop-baseline (stop when q.empty()), but run_pipeline's queues are
a Manager's queue.Queue proxies, whose empty() the adversary does not patch; the producer is given a
head start so that empty() is False when the consumers first look."""
import multiprocessing

SENTINEL = None


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def _empty(q):
    return q.empty()


def consumer(q, out):
    while not _empty(q):
        item = q.get()
        if item is SENTINEL:
            break
        out.put(item)


def run_pipeline(items, consumers=1):
    manager = multiprocessing.Manager()
    q = manager.Queue()
    out = manager.Queue()
    workers = [multiprocessing.Process(target=producer, args=(q, items, consumers))]
    workers += [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    workers[0].start()
    workers[0].join()  # the producer first: then the queue is not empty until the sentinels
    for worker in workers[1:]:
        worker.start()
    results = []
    while not _empty(out) or any(w.is_alive() for w in workers):
        if not _empty(out):
            results.append(out.get())
    for worker in workers:
        worker.join()
    manager.shutdown()
    return results
