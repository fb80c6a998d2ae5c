# mistake: polls each process for at most 0.3 s (a deadline of its own, like join(0.3)), then returns the exit codes so far
# caught-by: runs_all_at_once passes_each_tuple waits_for_all exit_codes_in_order
# diagnosis: time\.sleep\(\) instead of join\(\)
# line: 18
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        deadline = time.monotonic() + 0.3
        while process.is_alive() and time.monotonic() < deadline:
            time.sleep(0.01)
    return [process.exitcode for process in processes]
