# mistake: starts a single child that does all processes * times increments
# caught-by: parallel_count_processes
# diagnosis: a single process that does all the counting
# line: 20
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
    worker = multiprocessing.Process(target=increment, args=(counter, processes * times))
    worker.start()
    worker.join()
    return counter.value
