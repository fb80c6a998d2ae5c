# mistake: wraps func in a helper defined inside pool_map, which a pool cannot pickle
# diagnosis: a function defined inside another
# line: 13
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    def work(item):
        return func(item)

    with multiprocessing.Pool(processes) as pool:
        return pool.map(work, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
