"""Reference solution for exercise 2 (see exercises/ex02_many_processes.py)."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
