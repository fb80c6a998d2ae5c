# mistake: joins with a timeout in a `while process.is_alive()` loop, but leaves it after four tries: a child that works longer is still running when it returns
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    tries = 0
    while process.is_alive():
        process.join(timeout=0.5)
        tries += 1
        if tries > 3:
            break
    return process.exitcode
