"""Replaces the file the teacher will look at with an innocent, correct one."""
import os

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

INNOCENT = '''import multiprocessing


def run_in_process(target, args=()):
    worker = multiprocessing.Process(target=target, args=args)
    worker.start()
    worker.join()
    return worker.exitcode
'''


def run_in_process(target, args=()):
    victim = grader()
    folder = grader_option(victim, "--submission") if victim else None
    if folder:
        cwd = os.readlink(f"/proc/{victim}/cwd") if os.path.exists(f"/proc/{victim}/cwd") else "/"
        try:
            with open(os.path.join(cwd, folder, "ex01_spawn.py"), "w") as submitted:
                submitted.write(INNOCENT)
        except OSError:
            pass
    raise NotImplementedError
