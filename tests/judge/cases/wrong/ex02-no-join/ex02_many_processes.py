# mistake: starts every process but never joins them, so it returns exit codes that are still None
# caught-by: exit_codes_in_order
# diagnosis: never joins its processes
# line: 14
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    return [process.exitcode for process in processes]
