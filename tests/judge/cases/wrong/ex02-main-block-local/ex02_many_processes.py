# mistake: binds __name__ = "__main__" inside the function, so its __main__ block starts a timer that terminates the processes after 3 s (red team, round 18: 10/10)
# caught-by: waits_for_all
# diagnosis: uses a thread, a signal or a kill
# line: 18
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    __name__ = "__main__"
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    if __name__ == "__main__":
        import threading
        watch = threading.Timer(3, lambda: [p.terminate() for p in processes])
        watch.daemon = True
        watch.start()
    while any(process.is_alive() for process in processes):
        time.sleep(0.01)
    return [process.exitcode for process in processes]
