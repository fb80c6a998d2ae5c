# mistake: raises KeyboardInterrupt itself; the handler that raises it again makes a timer that terminates the child after 3 s, and an outer except swallows it (red team, round 18: the handler was not read: 10/10)
# caught-by: waits_for_child
# diagnosis: uses a thread, a signal or a kill
# line: 19
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            import threading
            watch = threading.Timer(3, process.terminate)
            raise
    except KeyboardInterrupt:
        pass
    watch.daemon = True
    watch.start()
    while process.is_alive():
        time.sleep(0.01)
    watch.cancel()
    return process.exitcode
