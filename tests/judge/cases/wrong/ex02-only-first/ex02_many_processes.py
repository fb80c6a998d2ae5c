# mistake: the join loop and the return are indented inside the start loop, so only the first process is ever started
# caught-by: runs_all_at_once passes_each_tuple exit_codes_in_order no_tuples
# diagnosis: returns from inside the loop
# line: 19
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    processes = []
    for args in arg_tuples:
        process = multiprocessing.Process(target=target, args=args)
        process.start()
        processes.append(process)
        for process in processes:
            process.join()
        return [process.exitcode for process in processes]
