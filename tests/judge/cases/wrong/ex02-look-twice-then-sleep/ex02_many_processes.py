# mistake: looks at the first process's is_alive() twice while it runs, then sleeps 3 s instead of waiting: two looks are no poll (red team, round 14)
# caught-by: waits_for_all
# diagnosis: never waited
# line: 16
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    if processes:
        processes[0].is_alive()
        processes[0].is_alive()  # two looks while it still runs: "a polling loop"
        time.sleep(3)  # then a sleep, not a wait
    return [process.exitcode for process in processes]
