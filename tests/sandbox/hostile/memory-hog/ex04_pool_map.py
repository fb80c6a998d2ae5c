"""Grows its memory to a few GiB."""
import multiprocessing

_cache = []


def pool_map(func, items, processes=4):
    for _ in range(40):
        _cache.append(bytearray(100 * 1024 * 1024))  # 4 GiB in all
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
