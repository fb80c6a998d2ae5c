import multiprocessing
import os


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    os._exit(process.exitcode)
