# variant: map_async, then a `while True` loop that breaks once ready() says so, sleeping 0.2 s between looks, then get()
"""Exercise 4 with a poll of ready() that breaks out."""

import multiprocessing
import time


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        result = pool.map_async(func, items)
        while True:
            if result.ready():
                break
            time.sleep(0.2)
        return result.get()


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
