# mistake: waits for any of a throwaway process's sentinel and the processes' (it returns when the throwaway one ends), then polls each exitcode until a count of its own (red team, round 18)
# caught-by: waits_for_all
# diagnosis: stops at a limit of its own
# line: 22
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import multiprocessing.connection
import time


def run_concurrently(target, arg_tuples):
    warm_up = multiprocessing.Process(target=print)
    warm_up.start()
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    multiprocessing.connection.wait([warm_up.sentinel] + [process.sentinel for process in processes])
    warm_up.join()
    for process in processes:
        for _ in range(300):
            if process.exitcode is not None:
                break
            time.sleep(0.01)
    return [process.exitcode for process in processes]
