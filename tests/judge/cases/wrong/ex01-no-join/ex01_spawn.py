# mistake: never joins the child, so it returns before the child ends and the exit code is still None
# caught-by: exit_code_success exit_code_from_sys_exit exit_code_after_exception waits_for_child
# diagnosis: never joins the child
# line: 13
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    return process.exitcode
