# mistake: polls is_alive() until signal.alarm(3) raises out of the loop, then returns whatever exitcode is: never joins
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 23
"""Exercise 1: run a function in a new process."""

import multiprocessing
import signal
import time


class Late(Exception):
    pass


def _late(signum, frame):
    raise Late()


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    signal.signal(signal.SIGALRM, _late)
    signal.alarm(3)
    try:
        while process.is_alive():
            time.sleep(0.01)
    except Late:
        pass
    finally:
        signal.alarm(0)
    return process.exitcode
