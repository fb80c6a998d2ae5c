# mistake: reads counter.value without the lock and writes current + 1 under it, with a read under the lock thrown away (0 * counter.value): the stub's race (red team, round 14)
# caught-by: increment_is_locked
# diagnosis: outside that hold of the lock|outside the lock|before taking it|lock was let go
# line: 15
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times."""
    for _ in range(times):
        current = counter.value  # read without the lock: the race is still here
        with counter.get_lock():
            counter.value = current + 1 + 0 * counter.value  # a read under the lock that is thrown away


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
