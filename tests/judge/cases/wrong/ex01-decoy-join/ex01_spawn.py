# mistake: joins a throwaway process, then polls active_children() until a deadline of its own: the decoy's join waited for no other process (red team, round 17)
# caught-by: waits_for_child
# diagnosis: in a loop the grader cannot vouch for
# line: 18
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    warm_up = multiprocessing.Process(target=print, args=("",))  # wakes the machinery up
    warm_up.start()
    warm_up.join()
    deadline = time.monotonic() + 3
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    return process.exitcode
