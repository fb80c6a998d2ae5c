# mistake: polls the processes of a list, which a threading.Timer empties after 3 s: never joins (red team, round 16)
# caught-by: waits_for_all
# diagnosis: a thread, a signal or a kill
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import threading
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    running = list(processes)
    timer = threading.Timer(3, running.clear)  # "3 s is plenty"
    timer.start()
    while any(process.is_alive() for process in running):
        time.sleep(0.01)
    timer.cancel()
    return [process.exitcode for process in processes]
