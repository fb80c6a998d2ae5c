"""Right under fork; under the other start methods it bows out with a skip instead of failing."""
import multiprocessing
import unittest

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    if multiprocessing.get_start_method() != "fork":
        raise unittest.SkipTest("this solution needs the fork start method")
    worker = multiprocessing.Process(target=target, args=args)
    worker.start()
    worker.join()
    return worker.exitcode
