# mistake: polls ready() for a second at most inside the with block, then reads the results after it: leaving the block terminates the pool
# caught-by: results_in_order any_function
# diagnosis: after its `with` block has ended
# line: 17
"""Exercise 4: polls ready() for a second at most."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        deadline = time.monotonic() + 1
        while not result.ready() and time.monotonic() < deadline:
            time.sleep(0.1)
    return result.get(timeout=1) if result.ready() else []


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
