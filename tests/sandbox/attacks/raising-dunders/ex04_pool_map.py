"""Returns values that blow up when the grader looks at them, hoping the blame lands on the grader."""
try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


class Evil(list):
    def __eq__(self, other):
        raise KeyboardInterrupt

    __ne__ = __lt__ = __gt__ = __eq__

    def __repr__(self):
        raise SystemExit(0)

    def __str__(self):
        while True:
            pass

    def __hash__(self):
        raise GeneratorExit

    def __len__(self):
        raise MemoryError

    def __iter__(self):
        raise RecursionError


def pool_map(func, items, processes=4):
    return Evil([1, 4, 9])


def square(n):
    return Evil([n * n])


def parallel_squares(numbers, processes=4):
    return Evil(n * n for n in numbers)
