# mistake: the workers only look at the counter; parallel_count writes the total itself while they are still running (red team, round 13)
# caught-by: parallel_count_total parallel_count_other_sizes
# diagnosis: sets counter.value itself
# line: 26
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def look(counter, times):
    with counter.get_lock():
        return counter.value


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=look, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    counter.value = processes * times  # before the join: the workers are still held at the gate
    for worker in workers:
        worker.join()
    return counter.value
