# mistake: returns the Value object itself instead of counter.value
# caught-by: parallel_count_total parallel_count_other_sizes
# diagnosis: returns the counter itself
# line: 28
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times, each under the counter's own lock."""
    for _ in range(times):
        with counter.get_lock():
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
    return counter
