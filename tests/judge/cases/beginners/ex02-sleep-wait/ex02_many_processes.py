# mistake: starts everything, then sleeps a second "until they are done" instead of joining
# diagnosis: waits with time\.sleep\(\) instead of join\(\)
# line: 13
"""My solution to exercise 2."""
import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    time.sleep(1)
    return [process.exitcode for process in processes]
