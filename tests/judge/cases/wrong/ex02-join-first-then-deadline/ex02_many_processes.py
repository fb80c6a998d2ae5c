# mistake: joins the first process, then polls active_children() until a deadline of its own: one join waited for one process (red team, round 17)
# caught-by: waits_for_all
# diagnosis: in a loop the grader cannot vouch for
# line: 18
"""Exercise 2: run several processes at once."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    if processes:
        processes[0].join()
    deadline = time.monotonic() + 3  # the others have had as long as the first, and 3 s more
    while multiprocessing.active_children() and time.monotonic() < deadline:
        time.sleep(0.01)
    return [process.exitcode for process in processes]
