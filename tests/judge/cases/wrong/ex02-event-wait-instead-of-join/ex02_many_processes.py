# mistake: waits for an event nobody sets, for 3 s, instead of joining: a sleep by another name (red team, round 18)
# caught-by: waits_for_all
# diagnosis: waits with Event.wait\(\) instead of join
# line: 14
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    multiprocessing.Event().wait(3)  # give them time to finish
    return [process.exitcode for process in processes]
