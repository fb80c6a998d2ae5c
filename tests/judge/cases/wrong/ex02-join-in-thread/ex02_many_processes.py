# mistake: joins in a thread, which the parent gives up on after join(3) (red team, round 16)
# caught-by: waits_for_all
# diagnosis: a thread, a signal or a kill
# line: 20
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import threading


def join_all(processes):
    for process in processes:
        process.join()


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    waiter = threading.Thread(target=join_all, args=(processes,), daemon=True)
    waiter.start()
    waiter.join(3)  # "a stuck child must not hang us"
    return [process.exitcode for process in processes]
