# mistake: reads the value under one acquisition of the lock and writes it back under a second one, with a read under the second thrown away: another process can count in between (red team, round 16)
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
            counter.value = current + 1 + 0 * counter.value  # a read under the lock thrown away


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
