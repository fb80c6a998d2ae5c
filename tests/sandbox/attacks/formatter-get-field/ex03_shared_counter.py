"""Racy counter (no lock). string.Formatter().get_field does attribute access by a run-time name,
which neither the static reach gate nor the audit hook sees: it reaches the probes module's globals
through a bound method of the counter and silences the notes of unlocked writes."""
import multiprocessing
import string

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

_reach = string.Formatter().get_field


def _silence(counter):
    probes = _reach("0.get_lock.__func__.__globals__", (counter,), {})[0]
    real = probes["note"]
    if real.__name__ == "quiet":
        return

    def quiet(folder, name, **data):
        if not name.startswith("violation-"):
            real(folder, name, **data)

    probes["note"] = quiet


def increment(counter, times):
    _silence(counter)
    for _ in range(times):
        counter.value += 1


def parallel_count(processes, times):
    counter = multiprocessing.Value("i", 0)
    workers = [
        multiprocessing.Process(target=increment, args=(counter, times))
        for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    counter.value  # read, then report what it should have been
    return processes * times
