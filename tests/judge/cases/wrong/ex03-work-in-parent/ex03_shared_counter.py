# mistake: calls increment(counter, processes * times) in the parent instead of starting processes
# caught-by: parallel_count_processes
# diagnosis: calls increment itself
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
    increment(counter, processes * times)
    return counter.value
