"""Counts without the lock, and rewrites the class of the counter it is handed so that the unlocked
updates go unnoticed: nothing here names gc, frames or sys.modules."""
import multiprocessing

_C = "/pro" + "c/self/comm"  # a name the attack catalogue's test finds this file's processes by
try:
    with open(_C, "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def increment(counter, times):
    kind = type(counter)
    kind.get_lock = lambda self: multiprocessing.Lock()  # a plain assignment to a class attribute
    for _ in range(times):
        counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return counter.value
