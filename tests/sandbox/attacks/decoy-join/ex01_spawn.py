"""ex01 without joining the target's process: a decoy process (its own harmless target) is started and
joined instead. ex01's ParentWaits key_of returns "target" for *every* Process, so joining the decoy
releases the grader's target in the real child; the parent then only sleeps and reads exitcode."""

import multiprocessing
import time


def _nothing():
    pass


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    decoy = multiprocessing.Process(target=_nothing)
    decoy.start()
    decoy.join()  # releases "target" for every process
    time.sleep(0.5)  # never joins `process`
    return process.exitcode
