# mistake: binds __name__ = "__main__" inside the function, so its if __name__ == "__main__": block runs and starts a timer that terminates the child after 3 s (red team, round 18: the block was not read: 10/10)
# caught-by: waits_for_child
# diagnosis: uses a thread, a signal or a kill
# line: 17
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    __name__ = "__main__"
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    if __name__ == "__main__":
        import threading
        watch = threading.Timer(3, process.terminate)
        watch.daemon = True
        watch.start()
    while process.is_alive():
        time.sleep(0.01)
    return process.exitcode
