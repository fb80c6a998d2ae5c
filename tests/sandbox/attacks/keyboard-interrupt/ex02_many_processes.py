"""Pretends the grading was interrupted by hand."""
import os
import signal

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_concurrently(target, arg_tuples):
    os.killpg(0, signal.SIGINT)  # every process of its group: the grader's too, if it shares it
    raise KeyboardInterrupt
