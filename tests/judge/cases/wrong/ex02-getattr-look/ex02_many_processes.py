# mistake: polls getattr(process, "exitcode") of every process until a deadline of its own (4 s), then returns the exit codes so far: never joins (red team, round 14)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 16
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline and sum([getattr(process, "exitcode") is None for process in processes]):
        time.sleep(0.01)
    return [getattr(process, "exitcode") for process in processes]
