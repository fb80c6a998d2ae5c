# variant: starts every process, then polls active_children() until none is left, with no deadline and no join
"""Exercise 2: run many processes at the same time."""

from multiprocessing import Process, active_children
from time import sleep


def run_concurrently(target, arg_tuples):
    processes = [Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    while active_children():
        sleep(0.01)
    return [process.exitcode for process in processes]
