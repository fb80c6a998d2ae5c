# mistake: increment's body is gone (the race "fixed" by not counting at all)
# caught-by: increment_adds_times increment_is_locked parallel_count_total parallel_count_other_sizes
# diagnosis: left the counter at
# line: 10
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    """No update, no race."""
    with counter.get_lock():
        pass


def parallel_count(processes, times):
    """Run ``increment`` in ``processes`` children at once; return the total."""
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
