"""Forks until there are 256 of it, and every one of them sits there."""
import os
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_concurrently(target, arg_tuples):
    for _ in range(8):
        try:
            os.fork()
        except OSError:
            break
    time.sleep(30)
    return []
