import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def parallel_squares(numbers, processes=4):
    return pool_map(abs, numbers, processes)
