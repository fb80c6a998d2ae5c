# mistake: polls every exitcode until a deadline of its own (4 s), after 450 calls of time.sleep of 9 lengths that fill the grader's list of the calls it follows: never joins (red team, round 14)
# caught-by: waits_for_all
# diagnosis: more calls than the grader can follow
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for _ in range(50):  # nine calls that differ, round and round: more than the tracer folds
        for pause in (0, 1e-9, 2e-9, 3e-9, 4e-9, 5e-9, 6e-9, 7e-9, 8e-9):
            time.sleep(pause)
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline and sum([process.exitcode is None for process in processes]):
        time.sleep(0.01)
    return [process.exitcode for process in processes]
