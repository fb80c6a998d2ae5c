# mistake: acquires the counter's lock at each step and forgets to release it
# diagnosis: acquires the lock and never releases it
# line: 10
"""My solution to exercise 3."""
import multiprocessing


def increment(counter, times):
    for _ in range(times):
        counter.get_lock().acquire()
        counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
