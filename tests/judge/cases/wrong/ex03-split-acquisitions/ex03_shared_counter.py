# mistake: reads and writes under two separate acquisitions of the lock, so another process can write in between
# caught-by: increment_is_locked parallel_count_processes
# diagnosis: second acquisition
# line: 16
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times without losing updates."""
    for _ in range(times):
        with counter.get_lock():
            current = counter.value
        with counter.get_lock():
            counter.value = current + 1


def parallel_count(processes, times):
    """Run ``increment`` in ``processes`` children at once; return the total."""
    counter = multiprocessing.Value("i", 0)
    workers = [
        multiprocessing.Process(target=increment, args=(counter, times))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
