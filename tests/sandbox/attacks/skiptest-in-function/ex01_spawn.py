"""Skips every check: a skip used to be counted as a pass."""
import unittest

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    raise unittest.SkipTest("multiprocessing is not available on this machine")
