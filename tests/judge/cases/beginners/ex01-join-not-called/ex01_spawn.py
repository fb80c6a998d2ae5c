# mistake: writes process.join without parentheses, so nothing waits
# diagnosis: join without calling it
# line: 11
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join
    return process.exitcode
