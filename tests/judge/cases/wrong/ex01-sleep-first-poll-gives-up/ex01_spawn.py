# mistake: sleeps 2.5 s before each look at is_alive(), but gives up after two looks: a child that runs longer is still running when it returns
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 15
"""Exercise 1: run a function in a new process."""
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(2):
        time.sleep(2.5)
        if not process.is_alive():
            break
    return process.exitcode
