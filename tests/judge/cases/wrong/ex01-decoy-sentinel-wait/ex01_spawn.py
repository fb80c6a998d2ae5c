# mistake: waits on a throwaway process's sentinel, then polls is_alive() until a deadline of its own: a wait on the decoy waited for no other process (red team, round 17)
# caught-by: waits_for_child
# diagnosis: in a loop the grader cannot vouch for
# line: 20
"""Exercise 1: run a function in a new process."""

import multiprocessing
import multiprocessing.connection
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    warm_up = multiprocessing.Process(target=print, args=("",))  # wakes the machinery up
    warm_up.start()
    multiprocessing.connection.wait([warm_up.sentinel])
    warm_up.join()
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    return process.exitcode
