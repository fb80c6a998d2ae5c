# variant: looks at is_alive() every 0.5 s for at most 5 s, printing progress, then join() whatever the loop found (it lost the waits check: the loop has a limit of its own, and the join came after a look had seen the child end)
"""Exercise 1: run a function in a new process (show progress for a while, then join)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(10):
        if not process.is_alive():
            break
        print("waiting for the child...")
        time.sleep(0.5)
    process.join()
    return process.exitcode
