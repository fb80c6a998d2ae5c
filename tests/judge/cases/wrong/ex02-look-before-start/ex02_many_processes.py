# mistake: looks at each process once before its start(), then sleeps 1.6 s instead of waiting and returns the exit codes (red team, round 18: 6/10 and 4/10)
# caught-by: waits_for_all
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 16
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        assert not process.is_alive()  # a fresh process
        process.start()
    time.sleep(1.6)
    return [process.exitcode for process in processes]
