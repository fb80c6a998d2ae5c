# variant: sleeps 2.5 s before each look at all the processes, with no deadline and no join: a poll that sleeps first
"""Exercise 2: run many processes at once (sleep first, then look)."""

import multiprocessing
import time


def run_concurrently(target, args_list):
    processes = [multiprocessing.Process(target=target, args=args) for args in args_list]
    for process in processes:
        process.start()
    while True:
        time.sleep(2.5)
        if not any(process.is_alive() for process in processes):
            break
    return [process.exitcode for process in processes]
