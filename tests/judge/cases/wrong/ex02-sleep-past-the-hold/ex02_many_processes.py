# mistake: sleeps 3 s "until they are done", longer than the grader holds a process, then returns the exit codes: never waits
# caught-by: waits_for_all
# diagnosis: never waited for its processes
# line: 11
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    time.sleep(3)
    return [process.exitcode for process in processes]
