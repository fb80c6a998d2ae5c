# variant: the reference increment, after printing counter.value once without the lock: a read, not an update (red team, round 15: a read without the lock made every later write a split)
"""Exercise 3: fix a race on a shared counter (honest; logs the starting value)."""
import multiprocessing


def increment(counter, times):
    """Add 1 to ``counter`` ``times`` times, each under the counter's own lock."""
    print("worker starts at", counter.value)
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
    return counter.value
