# variant: waits with select.select([process.sentinel], [], []) (the sentinel becomes readable when the process ends), then join() to reap it (it scored 8/10: the select was not seen as a wait)
"""Exercise 1: run a function in a new process (wait on its sentinel with select)."""

import multiprocessing
import select


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    select.select([process.sentinel], [], [])
    process.join()
    return process.exitcode
