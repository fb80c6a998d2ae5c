# mistake: joins in a thread, which the parent gives up on after join(3) (red team, round 16)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import threading


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    waiter = threading.Thread(target=process.join, daemon=True)
    waiter.start()
    waiter.join(3)  # "a stuck child must not hang us"
    return process.exitcode
