# mistake: returns the exit codes as a tuple instead of a list
# caught-by: exit_codes_in_order no_tuples
# diagnosis: returns a tuple
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return tuple(process.exitcode for process in processes)
