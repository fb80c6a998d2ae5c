# mistake: sleeps 3 s, then leaves its loop whatever the look says (`exitcode is not None or True`): a child that runs longer is still running when it returns
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
        time.sleep(3)
        if process.exitcode is not None or True:
            break
    return process.exitcode
