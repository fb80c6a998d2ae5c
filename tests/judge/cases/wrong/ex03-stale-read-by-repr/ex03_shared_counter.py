# mistake: reads the counter without the lock by parsing repr(counter), writes current + 1 under it with a read there thrown away (red team, round 15)
# caught-by: increment_is_locked
# diagnosis: outside that hold of the lock
# line: 19
"""Exercise 3: fix a race on a shared counter."""
import multiprocessing


def _peek(counter):
    # what repr shows: "<Synchronized wrapper for c_int(41)>"
    return int(repr(counter).rpartition("(")[2].partition(")")[0])


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times."""
    for _ in range(times):
        current = _peek(counter)  # read without the lock: the race is still here
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
