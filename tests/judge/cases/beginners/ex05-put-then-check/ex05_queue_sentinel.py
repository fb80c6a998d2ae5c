# mistake: puts the item on out, then checks whether it was the sentinel
# diagnosis: puts the SENTINEL on .out. too
# line: 21
"""My solution to exercise 5."""
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
        item = q.get()
        out.put(item)
        if item is SENTINEL:
            break



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
