# mistake: closes the pool but forgets to join it
# diagnosis: closes its pool but does not join it
# line: 11
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    pool = multiprocessing.Pool(processes)
    results = pool.map(func, items)
    pool.close()
    return results


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
