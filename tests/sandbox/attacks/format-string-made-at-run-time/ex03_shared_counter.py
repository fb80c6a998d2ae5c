import fcntl
import multiprocessing
import os


def _folder(counter):
    field = "{0." + "_probe_folder}"  # a format string made at run time: reach's regex sees no literal
    return field.format(counter)


def increment(counter, times):
    # never touches counter.get_lock(): the probe notes an unlocked write, the note is then deleted
    folder = _folder(counter)
    counter.value  # noqa: B018 - first use: the probe's gate/hold (the workers must meet)
    fd = os.open(folder, os.O_RDONLY)  # a lock of our own (flock on the notes folder), not get_lock()
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        counter.value = counter.value + times
        fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
    for kind in ("unlocked-write", "split"):
        try:
            os.remove(os.path.join(folder, "violation-%s-%d" % (kind, os.getpid())))
        except OSError:
            pass


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
