"""No lock; a thread in each process lists the process's open files to find where the probes write
their notes, and deletes what it finds there."""
import multiprocessing
import os
import threading

_P = "/pro" + "c/self/"
try:  # a name the attack catalogue's test finds this file's processes by
    with open(_P + "comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

found = set()


def watch(stop):
    while not stop.is_set():
        try:
            for fd in os.listdir(_P + "fd"):
                try:
                    found.add(os.path.dirname(os.readlink(_P + "fd/" + fd)))
                except OSError:
                    pass
        except OSError:
            return


def wipe():
    for folder in list(found):
        try:
            for name in os.listdir(folder):
                os.remove(os.path.join(folder, name))
        except OSError:
            pass


def increment(counter, times):
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(stop,), daemon=True)
    watcher.start()
    for _ in range(times):
        counter.value += 1
    stop.set()
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
