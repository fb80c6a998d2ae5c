# mistake: counts locally, then sets counter.value to its own count under the lock (overwriting the other processes' counts), and returns the count it expects
# caught-by: increment_adds_times parallel_count_total parallel_count_other_sizes
# diagnosis: changed the counter from \d+ to \d+ instead of
# line: 10
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    done = 0
    for _ in range(times):
        done += 1
    with counter.get_lock():  # the lock once instead of `times` times
        counter.value = done  # should be +=: this overwrites what the other processes added


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return processes * times
