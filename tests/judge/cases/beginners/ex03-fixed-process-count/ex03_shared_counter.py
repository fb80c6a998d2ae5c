# mistake: always starts 5 workers (the number from the lecture), whatever `processes` says
# diagnosis: does not use .processes. for how many to start
# line: 16
"""My solution to exercise 3."""
import multiprocessing


def increment(counter, times):
    for _ in range(times):
        with counter.get_lock():
            counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(5)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
