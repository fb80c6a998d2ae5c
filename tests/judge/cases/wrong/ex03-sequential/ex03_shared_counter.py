# mistake: starts and joins each worker in the same loop, so the workers run one after another
# caught-by: parallel_count_processes
# diagnosis: joins each process right after starting it
# line: 23
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
    for _ in range(processes):
        worker = multiprocessing.Process(target=increment, args=(counter, times))
        worker.start()
        worker.join()
    return counter.value
