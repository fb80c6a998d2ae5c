# mistake: joins, but under signal.alarm(3), whose handler raises out of join(): gives up on a child that runs longer (red team, round 16)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 22
"""Exercise 1: run a function in a new process."""

import multiprocessing
import signal


class TooLong(Exception):
    pass


def too_long(signum, frame):
    raise TooLong


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(3)  # "a stuck child must not hang us"
    try:
        process.join()
    except TooLong:
        pass
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    return process.exitcode
