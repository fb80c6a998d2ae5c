# mistake: sleeps 3 s (thirty short sleeps) instead of waiting; the target, wrapped in the file's own function, makes os.path.exists always true in the child, so that the grader's probe there would think it was released (red team, round 17)
# caught-by: waits_for_child
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 22
"""Exercise 1: run a function in a new process."""

import multiprocessing
import os
import time


def quick(target, args):
    """Runs in the child: nothing there needs to look for files that are not there yet."""
    os.path.exists = lambda path: True
    target(*args)


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=quick, args=(target, args))
    process.start()
    for _ in range(30):  # 3 s is plenty
        time.sleep(0.1)
    return process.exitcode
