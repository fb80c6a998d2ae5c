# mistake: looks at ready(), sleeps 2 s, looks again, then reads the results after the with block: looks in straight code are no wait, and leaving the block terminates the pool
# caught-by: results_in_order any_function
# diagnosis: after its `with` block has ended
# line: 17
"""Exercise 4: looks at ready(), gives the pool two seconds, looks again."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        result.ready()
        time.sleep(2)  # "long enough for a few squares"
        result.ready()
    return result.get(timeout=1) if result.ready() else []


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
