# variant: map_async, then polls ready() every 0.1 s inside the with block, then get(): a poll of the results (it scored 1/10: its sleeps held the tasks for ever)
"""Exercise 4 with a poll of ready()."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        while not result.ready():
            time.sleep(0.1)
        return result.get()


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
