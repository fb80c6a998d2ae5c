# mistake: polls ready() inside the with block until a deadline of its own (3 s), then gives up with no results: a slower machine, or longer tasks, reach the deadline and the results are lost
# caught-by: parallel_squares_uses_pool_map results_in_order any_function
# diagnosis: can end before the results are ready
# line: 15
"""Exercise 4: polls ready() until a deadline."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        deadline = time.monotonic() + 3
        while not result.ready():
            if time.monotonic() > deadline:
                return []
            time.sleep(0.1)
        return result.get()


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
