# mistake: map_async, sleeps half a second, then looks once whether the results are ready, and returns [] if not: a look is no wait
# caught-by: results_in_order any_function
# diagnosis: returned \[\] for the squares
# line: 11
"""Exercise 4: looks once whether the results are ready."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        time.sleep(0.5)  # plenty of time for a few squares
        if result.ready():
            return result.get()
        return []


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
