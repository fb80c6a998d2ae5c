# mistake: calls target(*args) directly in the parent and returns 0; no process is started
# caught-by: runs_in_child_process exit_code_from_sys_exit exit_code_after_exception
# diagnosis: calls the target itself
# line: 11
"""Exercise 1: run a function in a new process."""



def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    target(*args)
    return 0
