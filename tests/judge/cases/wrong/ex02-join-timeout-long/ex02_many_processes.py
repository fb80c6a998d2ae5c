# mistake: joins each process with timeout=5 "so that a stuck child cannot hang us": one that works longer is still running when it returns
# caught-by: waits_for_all
# diagnosis: join\(timeout=5\) only
# line: 15
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=5)
    return [process.exitcode for process in processes]
