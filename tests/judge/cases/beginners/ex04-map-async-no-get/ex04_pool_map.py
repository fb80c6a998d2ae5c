# mistake: returns map_async's result object without calling .get()
# diagnosis: a promise of results, not the list
# line: 10
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        return pool.map_async(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
