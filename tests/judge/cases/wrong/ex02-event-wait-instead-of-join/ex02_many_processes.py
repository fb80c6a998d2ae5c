# mistake: waits 3 s on a multiprocessing.Event nothing sets, then returns the exit codes: a timed wait for an event is a sleep, and never waits for the processes
# caught-by: waits_for_all
# diagnosis: waits with Event\.wait\(timeout=3\) instead of join\(\)
# line: 15
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    done = multiprocessing.Event()
    done.wait(timeout=3)  # long enough for them all
    return [process.exitcode for process in processes]
