"""Ends every call with an exception that looks like a normal end."""
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def increment(counter, times):
    raise GeneratorExit


def parallel_count(processes, times):
    sys.exit(0)
