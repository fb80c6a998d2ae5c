# mistake: a helper starts and joins each process, called once per tuple: they run one at a time
# diagnosis: joins each process right after starting it
# line: 11
"""My solution to exercise 2."""
import multiprocessing


def start(target, args):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode


def run_concurrently(target, arg_tuples):
    return [start(target, args) for args in arg_tuples]
