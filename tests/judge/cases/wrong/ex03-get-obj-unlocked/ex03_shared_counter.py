# mistake: updates the c_int under the wrapper (counter.get_obj()), which has no lock, and returns the count it expects instead of the counter's
# caught-by: increment_is_locked parallel_count_processes
# diagnosis: without its lock
# line: 14
"""Exercise 3: fix a race on a shared counter."""

import multiprocessing


def increment(counter, times):
    counter.get_lock()  # looked up, never held
    raw = counter.get_obj()
    for _ in range(times):
        raw.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return processes * times
