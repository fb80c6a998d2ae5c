# mistake: returns whether the child succeeded (a bool) instead of its exit code
# diagnosis: returns True or False
# line: 12
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode == 0
