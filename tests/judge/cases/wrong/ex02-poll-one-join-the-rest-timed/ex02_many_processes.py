# mistake: polls the first process until it ends, but joins the others with timeout=5 only: one that works longer is still running when it returns
# caught-by: waits_for_all
# diagnosis: join\(timeout=5\) only
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    while processes[0].is_alive():
        processes[0].join(timeout=1)
    for process in processes[1:]:
        process.join(timeout=5)
    return [process.exitcode for process in processes]
