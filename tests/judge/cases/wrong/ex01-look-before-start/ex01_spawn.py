# mistake: looks at is_alive() once before start(), then sleeps 1.6 s instead of waiting and returns the exit code (red team, round 18: the look before start() began the poll's time, and the exitcode read after the sleep released the child: 10/10)
# caught-by: waits_for_child
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    assert not process.is_alive()  # a fresh process
    process.start()
    time.sleep(1.6)
    return process.exitcode
