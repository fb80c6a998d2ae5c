# mistake: joins, but each child's wrapper starts a QueueListener whose thread calls os._exit(0) after 3 s (red team, round 17)
# caught-by: waits_for_all
# diagnosis: a thread, a signal or a kill
# line: 33
"""Exercise 2: run several processes at once."""

import logging
import logging.handlers
import multiprocessing
import os
import queue


class Alarm:
    """A 'queue' of log records that rings after a few seconds (QueueListener reads it on a thread of its own)."""

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


class GiveUp(logging.Handler):
    def emit(self, record):
        os._exit(0)  # "it has had its time"


def bounded(target, args):
    """Runs in the child: the target, for at most 3 s."""
    logging.handlers.QueueListener(Alarm(3), GiveUp()).start()
    target(*args)


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=bounded, args=(target, args)) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
