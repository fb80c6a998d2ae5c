# variant: imports Process by name, keeps the exit code, then close()s the process before returning
"""Exercise 1: run a function in a new process."""

from multiprocessing import Process


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    child = Process(target=target, args=args)
    child.start()
    child.join()
    code = child.exitcode
    child.close()
    return code
