# mistake: sleeps 3 s in thirty short sleeps instead of waiting, then join(0): short sleeps are a sleep instead of a wait too (red team, round 17)
# caught-by: waits_for_child
# diagnosis: join\(timeout=0\)
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    for _ in range(30):  # give it 3 s
        time.sleep(0.1)
    process.join(0)  # reap it if it is done
    return process.exitcode
