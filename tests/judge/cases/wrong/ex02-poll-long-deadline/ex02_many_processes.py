# mistake: polls each process for at most 3 s (a deadline of its own, like join(3)), then returns the exit codes so far
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
    for process in processes:
        for _ in range(300):
            if process.exitcode is not None:
                break
            time.sleep(0.01)
    return [process.exitcode for process in processes]
