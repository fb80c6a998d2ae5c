# mistake: one thread reads the counter without the lock, another writes what it read + 1 under the lock after a read there thrown away (red team, round 15)
# caught-by: increment_is_locked
# diagnosis: outside that hold of the lock
# line: 16
"""Exercise 3: fix a race on a shared counter."""
import multiprocessing
import threading


def _read(counter, box):
    box.append(counter.value)


def _write(counter, new):
    with counter.get_lock():
        counter.value = new + 0 * counter.value  # a read under the lock, thrown away


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
