# mistake: sleeps 3 s, then joins the child only if exitcode says it has ended: a child that runs longer is never waited for
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 15
"""Exercise 1: run a function in a new process."""
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(1):
        time.sleep(3)
        if process.exitcode is not None:
            process.join()
    return process.exitcode
