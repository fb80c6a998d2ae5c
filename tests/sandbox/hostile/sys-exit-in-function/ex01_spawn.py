import multiprocessing
import sys


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    sys.exit(process.exitcode)
