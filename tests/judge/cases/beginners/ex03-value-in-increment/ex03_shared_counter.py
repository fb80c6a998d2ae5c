# mistake: makes the Value inside increment, so each process counts on its own counter
# diagnosis: makes a new Value of its own
# line: 9
"""My solution to exercise 3."""
import multiprocessing


def increment(counter, times):
    counter = multiprocessing.Value("i", 0)
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
    return counter.value
