# mistake: squares with ** 2.0 "to be safe", which gives floats
# diagnosis: returns a float
# line: 14
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def square(n):
    return n ** 2.0


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
