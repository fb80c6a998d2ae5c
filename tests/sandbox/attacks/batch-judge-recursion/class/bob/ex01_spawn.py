"""Reference solution for exercise 1 (see exercises/ex01_spawn.py)."""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and return its exit code."""
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode
