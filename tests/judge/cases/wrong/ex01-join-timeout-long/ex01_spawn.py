# mistake: join(timeout=5) "so that a stuck child cannot hang us": a child that works longer is still running when it returns
# caught-by: waits_for_child
# diagnosis: join\(timeout=5\) only
# line: 13
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join(timeout=5)
    return process.exitcode
