"""Pulls the floor from under the runner: where it keeps its folders, FIFOs are left instead."""
import os
import shutil

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    dumps = os.environ.get("MPGRADE_DUMPS", "")
    for folder in (dumps, os.getcwd()):
        try:
            shutil.rmtree(folder)
            os.mkfifo(folder)
        except OSError:
            pass
    raise NotImplementedError
