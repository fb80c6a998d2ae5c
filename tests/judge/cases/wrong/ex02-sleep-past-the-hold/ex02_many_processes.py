# mistake: sleeps 3 s "until they are done" (longer than the 2 s a held process waits, a time that stands still while the parent sleeps), then returns the exit codes: never waits
# caught-by: waits_for_all
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 15
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    time.sleep(3)
    return [process.exitcode for process in processes]
