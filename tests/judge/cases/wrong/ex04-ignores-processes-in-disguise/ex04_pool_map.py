# mistake: makes a Pool of 8 workers whatever processes is, the 8 an int subclass whose repr is a word (red team, round 13)
# caught-by: pool_runs_workers_at_once
# diagnosis: processes
# line: 18
"""Exercise 4: a pool of worker processes."""

import multiprocessing


class Count(int):
    """An int that prints as a word."""

    def __repr__(self):
        return "plenty"


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(Count(8)) as pool:  # ignores processes
        return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
