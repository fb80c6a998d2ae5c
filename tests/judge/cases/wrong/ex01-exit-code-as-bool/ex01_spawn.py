# mistake: squashes the exit code to 0/1 (failed or not), so sys.exit(3) comes back as 1
# caught-by: exit_code_from_sys_exit
# diagnosis: failed-or-not
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return 1 if process.exitcode else 0
