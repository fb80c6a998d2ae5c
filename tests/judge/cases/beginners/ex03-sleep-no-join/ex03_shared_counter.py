# mistake: starts the workers, sleeps a little, reads the counter: never joins
# diagnosis: never joins its processes
# line: 19
"""My solution to exercise 3."""
import multiprocessing
import time


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    time.sleep(0.2)
    return counter.value
