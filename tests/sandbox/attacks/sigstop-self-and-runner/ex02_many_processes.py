"""Freezes everything it can reach, itself last."""
import multiprocessing
import os
import signal
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def first_time():
    """Only the first scenario of a grading hangs (the sandbox's TMPDIR lasts the whole grading):
    one time-out shows the attack, more would only make the test slower."""
    flag = os.path.join(os.environ.get("TMPDIR", "/tmp"), "mpgrade-attack-once")
    if os.path.exists(flag):
        return False
    open(flag, "w").close()
    return True


def run_concurrently(target, arg_tuples):
    if not first_time():
        raise NotImplementedError
    workers = [multiprocessing.Process(target=time.sleep, args=(60,)) for _ in range(3)]
    for worker in workers:
        worker.start()
    for pid in [worker.pid for worker in workers] + [os.getppid()]:
        try:
            os.kill(pid, signal.SIGSTOP)
        except OSError:
            pass
    os.kill(os.getpid(), signal.SIGSTOP)
    return [0] * len(arg_tuples)
