# mistake: reads counter.value in one thread without the lock, then writes the new value in another thread that holds only the write under the lock: the stub's race, split across threads (red team, round 13)
# caught-by: increment_is_locked
# diagnosis: second acquisition|lock was let go|not held
# line: 17
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing
import threading


def _read(counter, box):
    box.append(counter.value)


def _write(counter, new):
    with counter.get_lock():
        counter.value = new


def increment(counter, times):
    for _ in range(times):
        box = []
        reader = threading.Thread(target=_read, args=(counter, box))
        reader.start()
        reader.join()
        writer = threading.Thread(target=_write, args=(counter, box[0] + 1))
        writer.start()
        writer.join()


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
