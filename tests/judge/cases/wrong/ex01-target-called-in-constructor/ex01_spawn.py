# mistake: writes Process(target=target(*args)), which calls target in the parent and hands its result (None) to Process
# caught-by: runs_in_child_process exit_code_from_sys_exit exit_code_after_exception
# diagnosis: calls the target right away
# line: 12
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target(*args))
    process.start()
    process.join()
    return process.exitcode
