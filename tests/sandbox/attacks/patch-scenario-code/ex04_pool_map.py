"""Rewrites the grader's scenarios while it is imported: each returns what a right answer shows.
The replacement code runs with the scenario module's own globals, so it can use its classes."""
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def _square(student, params, tools):
    return Squared(tuple(describe(n * n) for n in params.numbers))  # noqa: F821


def _squares(student, params, tools):
    numbers = list(params.numbers)
    call = PoolMapCall(describe(numbers), describe(params.processes), "student:square")  # noqa: F821
    return Squares(describe([n * n for n in numbers]), (call,), ())  # noqa: F821


def _workers(student, params, tools):
    me = os.getpid()  # noqa: F821
    arrivals = tuple((me + 1 + i, 1) for i in range(params.processes))
    return Workers(me, max(1, params.processes - 1), arrivals, False, (), ())  # noqa: F821


def _order(student, params, tools):
    return Ordered(describe([n * n for n in params.items]), ())  # noqa: F821


def _any(student, params, tools):
    return AnyFunction(describe([abs(n) for n in params.items]), describe([]))  # noqa: F821


FAKES = {"square": _square, "squares": _squares, "workers": _workers, "order": _order, "any_function": _any}
for module_name, module in list(sys.modules.items()):
    registry = getattr(module, "REGISTRY", None)
    if module_name.endswith(".scenario") and isinstance(registry, dict):
        for name, declared in registry.items():
            fake = FAKES.get(name.split(".")[-1])
            if name.startswith("ex04.") and fake is not None:
                declared.function.__code__ = fake.__code__


def pool_map(func, items, processes=4):
    raise NotImplementedError


def square(n):
    raise NotImplementedError


def parallel_squares(numbers, processes=4):
    raise NotImplementedError
