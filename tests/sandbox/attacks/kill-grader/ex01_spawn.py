"""Kills the grader before it can write a verdict."""
import os
import signal

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def grader():
    """The grade process: the nearest ancestor that is not part of the sandbox (None when hidden)."""
    pid = os.getpid()
    for _ in range(12):
        try:
            with open(f"/proc/{pid}/status") as status:
                parent = int(next(line for line in status if line.startswith("PPid:")).split()[1])
            with open(f"/proc/{parent}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except (OSError, StopIteration, ValueError):
            return None
        if parent <= 1:
            return None
        if b"mpgrade_scenarios" not in command and b"bwrap" not in command:
            return parent
        pid = parent
    return None


def grader_option(pid, name):
    """The value of an option on the grade command line (--submission, --out)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            argv = cmdline.read().decode(errors="replace").split("\0")
    except (OSError, TypeError):
        return None
    return argv[argv.index(name) + 1] if name in argv[:-1] else None


def run_in_process(target, args=()):
    victim = grader()
    if victim is not None:
        try:
            os.kill(victim, signal.SIGKILL)
        except OSError:
            pass
    raise NotImplementedError
