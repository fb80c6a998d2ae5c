"""Computes something at import time, forever."""
import multiprocessing

total = 0
while True:
    total += 1
    total %= 1000  # never leaves the loop


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode
