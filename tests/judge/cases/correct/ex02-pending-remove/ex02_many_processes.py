# variant: polls a list of the processes still running, taking each off as it ends, with no join (red team, round 15: a reader looking for limits had failed it)
"""Exercise 2: start several processes at once (honest poll until all end)."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    pending = list(processes)
    while pending:
        for process in list(pending):
            if not process.is_alive():
                pending.remove(process)
        time.sleep(0.01)
    return [process.exitcode for process in processes]
