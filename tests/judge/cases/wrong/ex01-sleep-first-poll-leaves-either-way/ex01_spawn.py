# mistake: sleeps 2.5 s, then leaves its loop if the child runs, and if it does not: a child that runs longer is still running when it returns
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 15
"""Exercise 1: run a function in a new process."""
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while True:
        time.sleep(2.5)
        if process.is_alive():
            break
        if not process.is_alive():
            break
    return process.exitcode
