# mistake: honest polls, but the function is decorated to run in a thread that the caller gives up on after join(3) (red team, round 16)
# caught-by: waits_for_all
# diagnosis: a thread, a signal or a kill
# line: 20
"""Exercise 2: run many processes at the same time."""

import functools
import multiprocessing
import threading
import time


def at_most(seconds):
    """Give up on the call after ``seconds`` ("a stuck child must not hang us")."""

    def decorate(function):
        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            box = []
            worker = threading.Thread(target=lambda: box.append(function(*args, **kwargs)), daemon=True)
            worker.start()
            worker.join(seconds)
            return box[0] if box else None

        return wrapper

    return decorate


@at_most(3)
def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        while process.is_alive():
            time.sleep(0.01)
    return [process.exitcode for process in processes]
