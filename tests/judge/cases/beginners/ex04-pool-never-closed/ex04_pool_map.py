# mistake: makes a Pool and never closes it
# diagnosis: never closes its pool
# line: 9
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    pool = multiprocessing.Pool(processes)
    return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
