# mistake: joins the process before starting it (the AssertionError is swallowed), then polls with a 3 s deadline of its own (red team, round 18: the join that raised exempted the poll: 10/10)
# caught-by: waits_for_child
# diagnosis: joins the process before it starts it
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    try:
        process.join()  # nothing left over from before
    except AssertionError:
        pass
    process.start()
    started = time.monotonic()
    while process.is_alive():
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    return process.exitcode
