# mistake: polls each exitcode until a count of its own, never joins; a connection.wait without a timeout on a pipe that is already ready waits for no process (red team, round 13)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 21
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import multiprocessing.connection
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    mine, theirs = multiprocessing.Pipe()
    theirs.send(1)
    multiprocessing.connection.wait([mine])  # a wait without a timeout, on something already ready
    for process in processes:
        for _ in range(300):
            if process.exitcode is not None:
                break
            time.sleep(0.01)
    return [process.exitcode for process in processes]
