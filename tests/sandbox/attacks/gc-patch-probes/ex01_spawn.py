"""Starts no process: makes the grader's instruments, found through the garbage collector, say
that a child ran the target with its arguments, was waited for, and is gone."""
import gc
import os
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    probes = sys.modules["mpgrade_scenarios.probes"]
    pid = os.getpid() + 1

    def notes(folder, prefix):
        return [{"pid": pid, "args": [repr(a)[:200] for a in args], "released": True}]

    probes.notes = notes
    probes.Release.released = lambda self, key: True
    for found in gc.get_objects():
        if type(found).__name__ == "Tools":
            found.running = lambda: []
            found.unjoined = lambda: []
    if getattr(target, "raises", False):
        return 1
    code = getattr(target, "code", None)
    return code if code is not None else 0
