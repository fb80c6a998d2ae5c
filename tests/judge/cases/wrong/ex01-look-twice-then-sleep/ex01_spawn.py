# mistake: looks at is_alive() twice while the child runs, then sleeps 3 s instead of waiting: two looks are no poll (red team, round 14)
# caught-by: waits_for_child
# diagnosis: never waited
# line: 14
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.is_alive()
    process.is_alive()  # two looks while it still runs: "a polling loop"
    time.sleep(3)  # then a sleep, not a wait
    return process.exitcode
