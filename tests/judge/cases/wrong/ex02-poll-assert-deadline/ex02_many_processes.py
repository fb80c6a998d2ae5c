# mistake: polls its processes with an assert on a deadline of its own (3 s), caught outside the loop, then returns whatever exit codes are: never joins
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 17
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    deadline = time.monotonic() + 3
    try:
        while any(p.is_alive() for p in processes):
            assert time.monotonic() < deadline
            time.sleep(0.01)
    except AssertionError:
        pass
    return [process.exitcode for process in processes]
