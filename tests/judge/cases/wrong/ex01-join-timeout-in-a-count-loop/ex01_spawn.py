# mistake: joins with a timeout in a loop of 3 tries: a child that runs longer than 15 s is still running when it returns
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(3):
        if not process.is_alive():
            break
        process.join(timeout=5)
    return process.exitcode
