# mistake: sleeps 3 s (thirty short sleeps) instead of waiting; each target, wrapped in the file's own function, makes os.path.exists true for the grader's release files in the child (red team, round 17)
# caught-by: waits_for_all
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 24
"""Exercise 2: run several processes at once."""

import multiprocessing
import os
import time


def quick(target, args):
    """Runs in the child: nothing there needs to look for files that are not there yet."""
    found = os.path.exists
    os.path.exists = lambda path: os.path.basename(path).startswith("release-") or found(path)
    target(*args)


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=quick, args=(target, args)) for args in arg_tuples]
    for process in processes:
        process.start()
    for _ in range(30):  # 3 s is plenty
        time.sleep(0.1)
    return [process.exitcode for process in processes]
