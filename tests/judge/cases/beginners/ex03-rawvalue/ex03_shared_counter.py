# mistake: makes the counter with RawValue ("it is faster") and locks nothing
# diagnosis: RawValue, which has no lock
# line: 14
"""My solution to exercise 3."""
import multiprocessing


def increment(counter, times):
    for _ in range(times):
        counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.RawValue("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
