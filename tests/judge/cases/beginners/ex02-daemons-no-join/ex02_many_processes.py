# mistake: makes the processes daemons "so they clean up" and never joins them
# diagnosis: never joins its processes
# line: 11
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args, daemon=True) for args in arg_tuples]
    for process in processes:
        process.start()
    return [process.exitcode for process in processes]
