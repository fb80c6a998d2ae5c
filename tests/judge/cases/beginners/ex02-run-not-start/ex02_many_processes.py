# mistake: calls run() on each process thinking it starts it
# diagnosis: calls run\(\) on each process instead of start\(\)
# line: 11
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.run()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
