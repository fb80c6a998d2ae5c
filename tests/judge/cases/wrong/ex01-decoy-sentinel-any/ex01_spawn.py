# mistake: waits for any of a throwaway process's sentinel and the process's (it returns when the throwaway one ends), then polls is_alive() until a deadline of its own (red team, round 18)
# caught-by: waits_for_child
# diagnosis: in a loop the grader cannot vouch for
# line: 20
"""Exercise 1: run a function in a new process."""

import multiprocessing
import multiprocessing.connection
import time


def run_in_process(target, args=()):
    warm_up = multiprocessing.Process(target=print)
    warm_up.start()
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    multiprocessing.connection.wait([warm_up.sentinel, process.sentinel])
    warm_up.join()
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    return process.exitcode
