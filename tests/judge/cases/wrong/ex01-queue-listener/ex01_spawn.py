# mistake: a logging QueueListener's thread terminates the child after 3 s while a plain poll looks (red team, round 17)
# caught-by: waits_for_child
# diagnosis: a thread, a signal or a kill
# line: 43
"""Exercise 1: run a function in a new process."""

import logging
import logging.handlers
import multiprocessing
import queue
import time


class Alarm:
    """A 'queue' of log records that rings every few seconds (QueueListener reads it on a thread of its own)."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.box = queue.Queue()

    def put_nowait(self, item):
        self.box.put_nowait(item)

    def get(self, block=True):
        try:
            return self.box.get(timeout=self.seconds)
        except queue.Empty:
            return "ring"


class StopChild(logging.Handler):
    def __init__(self, process):
        super().__init__()
        self.process = process

    def emit(self, record):
        self.process.terminate()


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    listener = logging.handlers.QueueListener(Alarm(3), StopChild(process))
    listener.start()
    while process.is_alive():
        time.sleep(0.01)
    listener.stop()
    return process.exitcode
