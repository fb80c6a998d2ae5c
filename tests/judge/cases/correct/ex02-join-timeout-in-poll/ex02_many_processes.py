# variant: joins each process with a timeout in a `while process.is_alive()` loop, which only paces the loop
"""Exercise 2: run many processes at the same time."""

import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        while process.is_alive():
            process.join(timeout=1)
    return [process.exitcode for process in processes]
