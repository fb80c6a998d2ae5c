# mistake: waits for an event nobody sets, for 3 s, instead of joining: a sleep by another name (red team, round 18)
# caught-by: waits_for_child
# diagnosis: waits with Event.wait\(\) instead of join
# line: 13
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    multiprocessing.Event().wait(3)  # give the child time to finish
    return process.exitcode
