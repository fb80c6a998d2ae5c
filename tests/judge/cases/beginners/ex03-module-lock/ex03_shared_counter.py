# mistake: one Lock at the top of the module, used instead of the counter's own lock
# diagnosis: a Lock made at the top of the module
# line: 7
"""My solution to exercise 3."""
import multiprocessing

LOCK = multiprocessing.Lock()


def increment(counter, times):
    for _ in range(times):
        with LOCK:
            counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
