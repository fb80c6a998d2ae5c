# variant: polls any(is_alive()) until a 2 s deadline of its own, then joins every process whatever the poll found (it lost the waits check: the poll has a limit, and the joins came after looks had seen the processes end)
"""Exercise 2: run many processes at once (poll for a while, then join them all)."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 2
    while any(process.is_alive() for process in processes) and time.monotonic() < deadline:
        time.sleep(0.1)
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
