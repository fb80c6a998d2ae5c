# mistake: sleeps 3 s instead of waiting, then reads each exitcode three times: looks after a sleep are no poll (red team, round 13)
# caught-by: waits_for_all
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 15
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    time.sleep(3)
    codes = {}
    for looked in [process for process in processes for _ in range(3)]:
        codes[id(looked)] = looked.exitcode
    return [codes[id(process)] for process in processes]
