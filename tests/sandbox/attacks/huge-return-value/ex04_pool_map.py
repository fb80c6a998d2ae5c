"""Answers with values that are expensive to describe, hoping the report breaks."""
try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def nested(depth):
    value = []
    for _ in range(depth):
        value = [value]
    return value


def pool_map(func, items, processes=4):
    return ["x" * 1999] * 10_000


def square(n):
    return 7**60_000


def parallel_squares(numbers, processes=4):
    return nested(100_000)
