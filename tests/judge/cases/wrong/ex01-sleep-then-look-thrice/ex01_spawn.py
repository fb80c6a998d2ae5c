# mistake: sleeps 3 s instead of waiting, then reads exitcode three times: looks after a sleep are no poll (red team, round 13)
# caught-by: waits_for_child
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    time.sleep(3)
    code = None
    for looked in (process, process, process):
        code = looked.exitcode
    return code
