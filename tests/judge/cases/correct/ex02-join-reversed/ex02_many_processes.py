# variant: joins the processes in reverse order, then reads the exit codes in the order of arg_tuples
"""Exercise 2: run many processes at the same time."""

from multiprocessing import Process


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in reversed(processes):
        process.join()
    return [process.exitcode for process in processes]
