# mistake: polls is_alive() in a generator that looks forever, consumed at most 300 times (a count of its own, about 3 s), then returns whatever exitcode is: never joins (red team, round 14)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 13
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def watching(process):
    while True:
        yield process.is_alive()


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for alive, _ in zip(watching(process), range(300)):  # at most 300 looks, about 3 s
        if not alive:
            break
        time.sleep(0.01)
    return process.exitcode
