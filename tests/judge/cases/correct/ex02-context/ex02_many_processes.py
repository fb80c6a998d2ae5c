# variant: builds the processes from multiprocessing.get_context() with explicit loops and appends
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    context = multiprocessing.get_context()
    processes = []
    for args in arg_tuples:
        process = context.Process(target=target, args=args)
        process.start()
        processes.append(process)
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
