# mistake: reads each exit code right after start, then joins: the codes are all None
# diagnosis: reads a process's exitcode before joining it
# line: 13
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes, codes = [], []
    for args in arg_tuples:
        process = multiprocessing.Process(target=target, args=args)
        process.start()
        codes.append(process.exitcode)
        processes.append(process)
    for process in processes:
        process.join()
    return codes
