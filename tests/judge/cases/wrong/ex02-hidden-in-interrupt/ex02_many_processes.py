# mistake: raises KeyboardInterrupt itself; the handler that raises it again makes a timer that terminates the processes after 3 s, and an outer except swallows it (red team, round 18: 10/10)
# caught-by: waits_for_all
# diagnosis: uses a thread, a signal or a kill
# line: 20
"""Exercise 2: run many processes at the same time."""

import multiprocessing
import time


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=target, args=args) for args in arg_tuples]
    for process in processes:
        process.start()
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            import threading
            watch = threading.Timer(3, lambda: [p.terminate() for p in processes])
            raise
    except KeyboardInterrupt:
        pass
    watch.daemon = True
    watch.start()
    while any(process.is_alive() for process in processes):
        time.sleep(0.01)
    watch.cancel()
    return [process.exitcode for process in processes]
