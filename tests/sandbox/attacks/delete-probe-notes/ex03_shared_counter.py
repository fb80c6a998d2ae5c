"""No lock at all; afterwards, every note any probe may have written is wiped (the probes write
files, and all of the sandbox's processes are the same user)."""
import multiprocessing
import os

_C = "/pro" + "c/self/comm"  # a name the attack catalogue's test finds this file's processes by
try:
    with open(_C, "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def wipe():
    for top in (os.getcwd(), os.path.dirname(os.getcwd())):  # the sandbox's own folders
        for folder, dirs, files in os.walk(top, topdown=False):
            for name in files:
                try:
                    os.remove(os.path.join(folder, name))
                except OSError:
                    pass


def increment(counter, times):
    for _ in range(times):
        counter.value += 1
    wipe()


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [multiprocessing.Process(target=increment, args=(counter, times)) for _ in range(processes)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    wipe()
    return counter.value
