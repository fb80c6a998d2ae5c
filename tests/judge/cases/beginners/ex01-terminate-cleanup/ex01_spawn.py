# mistake: "cleans up" with terminate() right after start, which kills the child before it runs
# diagnosis: stops the child with terminate\(\)
# line: 11
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.terminate()  # clean up the child
    process.join()
    return process.exitcode
