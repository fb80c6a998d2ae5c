# mistake: polls is_alive() until a deadline of its own (3 s), after 450 calls of time.sleep of 9 lengths that fill the grader's list of the calls it follows: never joins (red team, round 14)
# caught-by: waits_for_child
# diagnosis: more calls than the grader can follow
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(50):  # nine calls that differ, round and round: more than the tracer folds
        for pause in (0, 1e-9, 2e-9, 3e-9, 4e-9, 5e-9, 6e-9, 7e-9, 8e-9):
            time.sleep(pause)
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    return process.exitcode
