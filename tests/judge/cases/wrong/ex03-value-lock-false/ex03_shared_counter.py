# mistake: makes the counter with Value('i', 0, lock=False), which has no get_lock() for the workers to use
# caught-by: parallel_count_total parallel_count_processes parallel_count_other_sizes
# diagnosis: lock=False
# line: 19
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times, each under the counter's own lock."""
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def parallel_count(processes, times):
    """Run ``increment`` in ``processes`` children at once; return the total."""
    counter = multiprocessing.Value("i", 0, lock=False)
    workers = [
        multiprocessing.Process(target=increment, args=(counter, times))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
