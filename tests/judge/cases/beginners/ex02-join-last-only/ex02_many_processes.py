# mistake: the join after the loop uses the loop variable, so only the last process is joined
# diagnosis: joins 1 of its 4 processes
# line: 14
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    processes = []
    for args in arg_tuples:
        p = multiprocessing.Process(target=target, args=args)
        p.start()
        processes.append(p)
    p.join()
    return [p.exitcode for p in processes]
