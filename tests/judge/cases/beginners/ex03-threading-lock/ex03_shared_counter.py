# mistake: a threading.Lock made in increment (each process gets its own, and threads' locks do not cross processes)
# diagnosis: makes a new Lock of its own
# line: 10
"""My solution to exercise 3."""
import multiprocessing
import threading


def increment(counter, times):
    lock = threading.Lock()
    for _ in range(times):
        with lock:
            counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
