# mistake: sleeps 3 s in thirty short sleeps instead of waiting, then join(0) each: short sleeps are a sleep instead of a wait too (red team, round 17)
# caught-by: waits_for_all
# diagnosis: join\(timeout=0\)
# line: 18
"""Exercise 2: run several processes at once."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for _ in range(30):  # give them 3 s
        time.sleep(0.1)
    for process in processes:
        process.join(0)  # reap the ones that are done
    return [process.exitcode for process in processes]
