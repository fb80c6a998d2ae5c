import multiprocessing

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
        out.append(item)  # a Queue has no append


def run_pipeline(items, consumers=1):
    q, out = multiprocessing.Queue(), multiprocessing.Queue()
    workers = [multiprocessing.Process(target=producer, args=(q, items, consumers))]
    workers += [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    results = []
    while not out.empty():
        results.append(out.get())
    return results
