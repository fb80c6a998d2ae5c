"""Kills the process that runs the tests, from a child it leaves behind."""
import multiprocessing
import os
import signal
import time


def assassin(victim):
    os.kill(victim, signal.SIGKILL)
    time.sleep(300)


def run_in_process(target, args=()):
    multiprocessing.Process(target=assassin, args=(os.getpid(),)).start()
    time.sleep(300)
