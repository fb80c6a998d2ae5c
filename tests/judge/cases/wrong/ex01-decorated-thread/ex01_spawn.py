# mistake: an honest poll, but the function is decorated to run in a thread that the caller gives up on after join(3) (red team, round 16)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 20
"""Exercise 1: run a function in a new process."""

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
def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        time.sleep(0.01)
    return process.exitcode
