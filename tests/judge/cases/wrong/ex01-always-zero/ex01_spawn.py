# mistake: joins the child but always returns 0 instead of its exitcode
# caught-by: exit_code_from_sys_exit exit_code_after_exception
# diagnosis: returns 0 whatever the child did
# line: 15
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return 0
