# mistake: starts and joins each process in the same loop, so they run one after another
# caught-by: runs_all_at_once exit_codes_in_order
# diagnosis: joins each process right after starting it
# line: 16
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = []
    for args in arg_tuples:
        process = multiprocessing.Process(target=target, args=args)
        process.start()
        process.join()
        processes.append(process)
    return [process.exitcode for process in processes]
