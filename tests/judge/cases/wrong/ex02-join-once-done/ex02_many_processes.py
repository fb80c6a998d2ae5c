# mistake: polls until a deadline of its own (3 s), then joins each process that has ended: a join of an ended process waits for nothing (red team, round 17)
# caught-by: waits_for_all
# diagnosis: in a loop the grader cannot vouch for
# line: 16
"""Exercise 2: run several processes at once."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    started = time.monotonic()
    while any(process.is_alive() for process in processes):
        if time.monotonic() - started > 3:
            break
        time.sleep(0.01)
    for process in processes:
        if process.exitcode is not None:
            process.join()  # reap the ones that are done
    return [process.exitcode for process in processes]
