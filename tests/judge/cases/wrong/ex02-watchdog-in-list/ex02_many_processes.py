# mistake: inserts an object of its own into the list of processes it polls: its is_alive() is False, and after 3 s it terminates the real ones (red team, round 17)
# caught-by: waits_for_all
# diagnosis: cannot vouch for
# line: 32
"""Exercise 2: run several processes at once."""

import multiprocessing
import time


class Watchdog:
    """Stands first in the list of processes: it is never running itself, but it keeps an eye on the others."""

    def __init__(self, others):
        self.others = others
        self.began = time.monotonic()

    def is_alive(self):
        if time.monotonic() - self.began > 3:
            for process in self.others:
                if process is not self and process.exitcode is None:
                    process.terminate()
                    process.join()
        return False


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    processes.insert(0, Watchdog(processes))
    while any(process.is_alive() for process in processes):
        time.sleep(0.01)
    return [process.exitcode for process in processes[1:]]
