# mistake: adds to the name `counter` instead of `counter.value`
# diagnosis: adds to the name counter, not to the number
# line: 11
"""My solution to exercise 3."""
import multiprocessing


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
