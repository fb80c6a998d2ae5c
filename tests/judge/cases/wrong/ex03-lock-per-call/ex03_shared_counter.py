# mistake: creates a new multiprocessing.Lock() inside increment, which no other process shares
# caught-by: increment_is_locked parallel_count_processes
# diagnosis: makes a new Lock of its own
# line: 12
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times without losing updates."""
    lock = multiprocessing.Lock()
    for _ in range(times):
        with lock:
            counter.value += 1


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
