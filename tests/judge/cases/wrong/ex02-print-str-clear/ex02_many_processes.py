# mistake: polls the processes of a list, and prints an object whose __str__ empties it after 3 s: never joins (red team, round 16)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 30
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


class Progress:
    """Prints nothing; after 3 s it stops watching."""

    def __init__(self, running):
        self.running = running
        self.started = time.monotonic()

    def __str__(self):
        if time.monotonic() - self.started > 3:
            self.running.clear()
        return ""


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    running = list(processes)
    progress = Progress(running)
    while any(process.is_alive() for process in running):
        print(progress, end="")
        time.sleep(0.01)
    return [process.exitcode for process in processes]
