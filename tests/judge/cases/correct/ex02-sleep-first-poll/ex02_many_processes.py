# variant: sleeps 2.5 s first, then looks at every process's is_alive(), again and again (a do-while poll; red team, round 18: it scored 1/10)
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    while True:
        time.sleep(2.5)
        if not any(process.is_alive() for process in processes):
            break
    return [process.exitcode for process in processes]
