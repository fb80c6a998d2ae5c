# mistake: hands the pool an empty map (pool.map(abs, [])), then runs the items in processes of its own (red team, round 14)
# caught-by: pool_runs_workers_at_once
# diagnosis: processes of its own, not in a Pool's workers
# line: 15
"""Exercise 4: a pool of worker processes."""

import multiprocessing


def _work(func, items, start, step, out):
    for index in range(start, len(items), step):
        out.put((index, func(items[index])))


def pool_map(func, items, processes=4):
    items = list(items)
    with multiprocessing.Pool(processes) as pool:
        pool.map(abs, [])  # the pool is handed "work": nothing
    out = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=_work, args=(func, items, start, processes, out))
               for start in range(processes)]
    for worker in workers:
        worker.start()
    results = [None] * len(items)
    for _ in items:
        index, value = out.get()
        results[index] = value
    for worker in workers:
        worker.join()
    return results


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
