# mistake: wraps args in one more tuple, thinking args must be "a tuple"
# diagnosis: wraps .args. in another tuple
# line: 9
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=(args,))
    process.start()
    process.join()
    return process.exitcode
