"""The child ignores SIGTERM and never ends, so join() waits forever."""
import multiprocessing
import signal
import time


def stubborn(target, args):
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(1000)


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=stubborn, args=(target, args))
    process.start()
    process.join()
    return process.exitcode
