# mistake: waits on the sentinel for 0.05 s at a time until a 3 s deadline, and joins only once a wait found it ready: a child that runs longer is still running when it returns (red team a04: a join after a wait that saw the child ended waits for nothing)
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 17
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time
from multiprocessing.connection import wait


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        if wait([process.sentinel], timeout=0.05):
            process.join()
            break
    return process.exitcode
