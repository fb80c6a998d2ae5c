# mistake: writes args=(args,) to "make it a tuple", so each target gets the whole tuple
# diagnosis: wraps each tuple in one more tuple
# line: 9
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=(args,)) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
