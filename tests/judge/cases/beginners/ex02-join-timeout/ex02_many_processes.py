# mistake: joins with a short timeout "so it cannot hang"
# diagnosis: calls join\(timeout=0\.1\)
# line: 13
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=0.1)
    return [process.exitcode for process in processes]
