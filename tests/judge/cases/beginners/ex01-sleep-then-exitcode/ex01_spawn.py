# mistake: gives the child "time to finish" with a sleep instead of joining it
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 12
"""My solution to exercise 1."""
import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    time.sleep(0.5)  # let it finish
    return process.exitcode
