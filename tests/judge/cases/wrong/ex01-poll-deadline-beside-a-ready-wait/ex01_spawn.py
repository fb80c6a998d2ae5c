# mistake: polls is_alive() until a deadline of its own, never joins; a connection.wait without a timeout on a pipe that is already ready waits for no process (red team, round 13)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 19
"""Exercise 1: run a function in a new process."""

import multiprocessing
import multiprocessing.connection
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    mine, theirs = multiprocessing.Pipe()
    theirs.send(1)
    multiprocessing.connection.wait([mine])  # a wait without a timeout, on something already ready
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    return process.exitcode
