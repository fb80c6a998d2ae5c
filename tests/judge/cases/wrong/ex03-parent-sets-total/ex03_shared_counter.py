# mistake: the workers count under the lock, but parallel_count then sets the counter to the total it expects, so what it returns is not the count
# caught-by: parallel_count_total parallel_count_other_sizes
# diagnosis: sets counter.value itself
# line: 23
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    counter.value = processes * times  # "to be sure": but then the count is never checked
    return counter.value
