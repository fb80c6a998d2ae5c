# variant: sizes its Pool with an int subclass of its own, whose repr is not plain digits (red team, round 13: this made the grader fail)
"""Exercise 4: a pool of worker processes."""

import multiprocessing


class Count(int):
    """An int that prints as a superscript digit."""

    def __repr__(self):
        return "\u00b2"


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(Count(processes)) as pool:
        return pool.map(func, items)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
