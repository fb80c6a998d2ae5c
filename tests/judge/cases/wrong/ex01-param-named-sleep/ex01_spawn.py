# mistake: sleeps in a plain poll with a parameter named sleep whose default terminates the child after 3 s (red team, round 17)
# caught-by: waits_for_child
# diagnosis: cannot vouch for
# line: 27
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def patient_sleep(seconds, _since=[]):
    """time.sleep, but it stops the children once they have been waited for 3 s."""
    now = time.monotonic()
    if not _since or now - _since[-1] > 0.5:
        _since[:] = [now, now]
    _since[-1] = now
    if now - _since[0] > 3:
        for child in multiprocessing.active_children():
            child.terminate()
            child.join()
    time.sleep(seconds)


def run_in_process(target, args=(), sleep=patient_sleep):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    while process.is_alive():
        sleep(0.01)
    return process.exitcode
