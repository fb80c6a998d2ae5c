"""Counter updated through the arena's file descriptor, serialised with lockf; no get_lock()."""

import fcntl
import multiprocessing
import os
import struct

_FOUND = {}


def _locate(counter):
    """(fd, offset) of the counter's int in a multiprocessing heap arena, verified by a probe write."""
    key = id(counter)
    if key in _FOUND:
        return _FOUND[key]
    for fd in range(3, 512):
        try:
            target = os.readlink("/proc/self/fd/%d" % fd)
        except OSError:
            continue
        if "pym-" not in target:
            continue
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            value = counter.value
            size = os.fstat(fd).st_size
            data = os.pread(fd, size, 0)
            want = struct.pack("i", value)
            off = data.find(want)
            while off != -1:
                if off % 4 == 0:
                    os.pwrite(fd, struct.pack("i", value + 7), off)
                    hit = counter.value == value + 7
                    os.pwrite(fd, want, off)
                    if hit:
                        _FOUND[key] = (fd, off)
                        return fd, off
                off = data.find(want, off + 1)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)
    raise RuntimeError("not found")


def increment(counter, times):
    counter.value  # noqa: B018  (arrive)
    fd, off = _locate(counter)
    for _ in range(times):
        fcntl.lockf(fd, fcntl.LOCK_EX)
        try:
            (v,) = struct.unpack("i", os.pread(fd, 4, off))
            os.pwrite(fd, struct.pack("i", v + 1), off)
        finally:
            fcntl.lockf(fd, fcntl.LOCK_UN)


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
