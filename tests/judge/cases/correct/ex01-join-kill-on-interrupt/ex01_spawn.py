# variant: joins, and kills the child in an except KeyboardInterrupt handler that raises again (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process (join; on Ctrl-C, do not leave the child behind)."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    try:
        process.join()
    except KeyboardInterrupt:
        process.kill()
        raise
    return process.exitcode
