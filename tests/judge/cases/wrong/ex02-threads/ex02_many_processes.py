# mistake: runs the targets in threading.Threads of the parent and returns 0 for each, since threads have no exit code
# caught-by: runs_all_at_once exit_codes_in_order
# diagnosis: threads of your own process
# line: 12
"""Exercise 2: run many processes at the same time."""

import threading


def run_concurrently(target, arg_tuples):
    """Start one process per tuple, all at once; return exit codes in order."""
    threads = [threading.Thread(target=target, args=args) for args in arg_tuples]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [0 for _ in threads]
