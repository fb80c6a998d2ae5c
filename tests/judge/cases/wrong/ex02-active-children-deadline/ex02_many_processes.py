# mistake: polls active_children() for at most 3 s (a deadline of its own), then returns the exit codes so far (red team, round 12)
# caught-by: waits_for_all
# diagnosis: active_children\(\)
# line: 16
"""Exercise 2: run many processes at the same time."""

from multiprocessing import Process, active_children
from time import monotonic, sleep


def run_concurrently(target, arg_tuples):
    processes = [Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = monotonic() + 3
    while active_children() and monotonic() < deadline:
        sleep(0.01)
    return [process.exitcode for process in processes]
