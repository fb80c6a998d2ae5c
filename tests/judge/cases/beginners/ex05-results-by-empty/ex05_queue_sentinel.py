# mistake: joins everything, then reads the results while out is not empty
# diagnosis: reads results while out\.empty\(\)
# line: 34
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
    while not out.empty():
        results.append(out.get())
    for worker in workers:
        worker.join()
    return results
