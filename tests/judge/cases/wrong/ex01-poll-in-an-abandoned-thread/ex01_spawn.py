# mistake: polls is_alive() in a thread that the parent stops waiting for after 3 s (t.join(3)), then returns whatever exitcode is: never joins the process
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 20
"""Exercise 1: run a function in a new process."""

import multiprocessing
import threading
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()

    def watch():
        while process.is_alive():
            time.sleep(0.01)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    watcher.join(3)
    return process.exitcode
