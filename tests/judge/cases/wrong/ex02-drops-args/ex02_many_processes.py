# mistake: leaves out args=args, so every child calls target() with no arguments
# caught-by: runs_all_at_once passes_each_tuple exit_codes_in_order
# diagnosis: without its tuple of arguments
# line: 12
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
