# mistake: runs the target in a threading.Thread (same process) and returns 0, since a thread has no exit code
# caught-by: runs_in_child_process exit_code_from_sys_exit exit_code_after_exception
# diagnosis: threading\.Thread
# line: 12
"""Exercise 1: run a function in a new process."""

import threading


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    thread = threading.Thread(target=target, args=args)
    thread.start()
    thread.join()
    return 0
