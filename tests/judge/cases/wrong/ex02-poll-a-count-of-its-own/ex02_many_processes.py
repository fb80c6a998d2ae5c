# mistake: polls its processes for a count of its own (itertools.repeat, 300 looks: about 3 s), then returns whatever exit codes are: never joins
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 17
"""Exercise 2: run many processes at the same time."""

import itertools
import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for _ in itertools.repeat(None, 300):
        if not any(p.is_alive() for p in processes):
            break
        time.sleep(0.01)
    return [process.exitcode for process in processes]
