import multiprocessing
import sys


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode


if True:  # meant to be `if __name__ == "__main__":`
    sys.exit(0)
