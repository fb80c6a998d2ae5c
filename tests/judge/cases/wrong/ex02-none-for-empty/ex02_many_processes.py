# mistake: returns None instead of [] when there are no tuples
# caught-by: no_tuples
# diagnosis: returns None
# line: 13
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    if not arg_tuples:
        return None
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
