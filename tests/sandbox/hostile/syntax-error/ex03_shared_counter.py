import multiprocessing


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock()
            counter.value += 1


def parallel_count(processes, times):
    return 0
