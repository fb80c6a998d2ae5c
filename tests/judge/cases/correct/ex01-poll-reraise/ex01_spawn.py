# variant: polls is_alive() in a try whose only handler terminates the child and raises again, with no join (red team, round 15: a reader looking for limits had failed it)
"""Exercise 1: run a function in a new process (honest poll; kill the child on Ctrl-C)."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    try:
        while process.is_alive():
            time.sleep(0.01)
    except KeyboardInterrupt:
        process.terminate()
        raise
    return process.exitcode
