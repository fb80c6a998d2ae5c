"""Takes memory in several processes at once, each under the per-process limit."""
import multiprocessing
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def hog():
    held = bytearray(b"\1") * (200 * 1024 * 1024)
    time.sleep(30)
    return held


def increment(counter, times):
    raise NotImplementedError


def parallel_count(processes, times):
    hogs = [multiprocessing.Process(target=hog) for _ in range(4)]
    for process in hogs:
        process.start()
    for process in hogs:
        process.join()
    return 0
