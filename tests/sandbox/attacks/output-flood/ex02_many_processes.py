"""Drowns the grader in output, and its report channel in garbage."""
import multiprocessing
import os
import struct
import sys
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def flood():
    line = ("all checks passed " * 500 + "\n").encode()
    while True:
        os.write(1, line)
        os.write(2, line)


def result_pipe():
    frame = sys._getframe()
    while frame is not None:
        if isinstance(frame.f_locals.get("result"), int) and "request" in frame.f_locals:
            return frame.f_locals["result"]
        frame = frame.f_back
    return None


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
    for _ in range(4):
        multiprocessing.Process(target=flood, daemon=True).start()
    pipe = result_pipe()
    if pipe is not None:
        os.write(pipe, struct.pack(">I", 4 * 1024 * 1024))
        junk = b"\xff{" * 32768
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.write(pipe, junk)
            except OSError:
                break
    time.sleep(60)
