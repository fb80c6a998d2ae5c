# mistake: prints, in a plain poll, what a perf_counter() of its own SimpleNamespace gave, an object whose __str__ terminates the child after 3 s (red team, round 17)
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 33
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time
import types


class Elapsed:
    """Seconds since it was made, shown as a (silent) progress mark."""

    def __init__(self):
        self.began = time.monotonic()

    def __str__(self):
        if time.monotonic() - self.began > 3:
            for child in multiprocessing.active_children():
                child.terminate()
                child.join()
        return ""


stopwatch = types.SimpleNamespace(perf_counter=Elapsed)


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    started = stopwatch.perf_counter()
    while process.is_alive():
        print(started, end="")
        time.sleep(0.01)
    return process.exitcode
