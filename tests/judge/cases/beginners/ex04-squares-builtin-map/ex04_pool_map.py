# mistake: parallel_squares uses the builtin map instead of the pool_map it just wrote
# diagnosis: does not call pool_map
# line: 18
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return list(map(square, numbers))
