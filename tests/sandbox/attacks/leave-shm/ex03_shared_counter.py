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
    for number in range(4):  # 15 MB each: under the limit on the size of one file
        try:
            kept = shared_memory.SharedMemory(name=f"mpgrade-attack-shm-{number}", create=True, size=15 * 1024 * 1024)
            resource_tracker.unregister(kept._name, "shared_memory")  # or the tracker unlinks it at the end
            kept.buf[:] = b"\1" * kept.size
        except OSError:
            pass
    raise NotImplementedError
