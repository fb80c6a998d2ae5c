# mistake: joins first "to be safe", then starts: join() of a process not started yet fails
# diagnosis: joins the process before it starts it
# line: 10
"""My solution to exercise 1."""
import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.join()
    process.start()
    return process.exitcode
