# mistake: polls is_alive() until a deadline of its own (3 s), then joins only if the child has ended: a join of an ended process waits for nothing (red team, round 17)
# caught-by: waits_for_child
# diagnosis: in a loop the grader cannot vouch for
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    if process.exitcode is not None:
        process.join()  # reap it once it is done
    return process.exitcode
