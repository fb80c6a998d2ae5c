"""Takes shared memory and never gives it back."""
from multiprocessing import resource_tracker, shared_memory

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def increment(counter, times):
    raise NotImplementedError


def parallel_count(processes, times):
    try:
        kept = shared_memory.SharedMemory(name="mpgrade-attack-shm", create=True, size=64 * 1024 * 1024)
        kept.buf[::4096] = b"\1" * len(kept.buf[::4096])
        resource_tracker.unregister(kept._name, "shared_memory")
    except OSError:
        pass
    raise NotImplementedError
