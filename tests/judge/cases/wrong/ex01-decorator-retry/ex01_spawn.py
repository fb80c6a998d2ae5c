# mistake: polls is_alive() 300 times in the wrapper of a retrying decorator, never joins (red team, round 15)
# caught-by: waits_for_child
# diagnosis: stops at a limit of its own
# line: 27
"""Exercise 1: run a function in a new process."""

import functools
import multiprocessing
import time


def retried(times, pause):
    def decorate(check):
        @functools.wraps(check)
        def wrapper(*args):
            for _ in range(times):
                if not check(*args):
                    return False
                time.sleep(pause)
            return True
        return wrapper
    return decorate


@retried(300, 0.01)
def still_running(process):
    return process.is_alive()


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    still_running(process)
    return process.exitcode
