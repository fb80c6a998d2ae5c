# mistake: collects exit codes as processes finish (multiprocessing.connection.wait on sentinels), not in the order of arg_tuples
# caught-by: exit_codes_in_order
# diagnosis: in the order the processes end
# line: 19
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import multiprocessing.connection


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    codes = []
    waiting = {process.sentinel: process for process in processes}
    while waiting:
        for sentinel in multiprocessing.connection.wait(list(waiting)):
            process = waiting.pop(sentinel)
            process.join()
            codes.append(process.exitcode)
    return codes
