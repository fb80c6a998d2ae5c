# mistake: sizes the pool by the number of items, ignoring `processes`
# diagnosis: a Pool of 24 workers
# line: 9
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(max(1, len(items))) as pool:
        return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
