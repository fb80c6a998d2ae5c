# mistake: uses 0 as the sentinel, a value an item can have
# diagnosis: SENTINEL is 0
# line: 8
"""My solution to exercise 5."""
import multiprocessing
import queue

SENTINEL = 0


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
