# variant: waits for all sentinels with multiprocessing.connection.wait, then joins and reads codes in the original order
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import multiprocessing.connection


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    pending = [process.sentinel for process in processes]
    while pending:
        done = multiprocessing.connection.wait(pending)
        pending = [sentinel for sentinel in pending if sentinel not in done]
    codes = []
    for process in processes:
        process.join()
        codes.append(process.exitcode)
    return codes
