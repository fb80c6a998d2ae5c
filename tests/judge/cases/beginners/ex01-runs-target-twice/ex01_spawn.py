# mistake: calls the target once "to check it works", then runs it again in a process
# diagnosis: calls the target itself as well
# line: 9
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    target(*args)  # quick test
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode
