# mistake: calls p.run() to "run the process", which runs the target in the parent
# diagnosis: calls run\(\) on the process instead of start\(\)
# line: 11
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    # make the process and run it
    p = multiprocessing.Process(target=target, args=args)
    p.run()
    p.join()
    return p.exitcode
