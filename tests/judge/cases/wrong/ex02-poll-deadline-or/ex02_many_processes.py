# mistake: polls every process with a deadline of its own in the same `if ...: break` (60 s), then returns the exit codes so far
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 60
    while True:
        if not any(p.is_alive() for p in processes) or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    return [process.exitcode for process in processes]
