"""Kills the classmates' gradings that run beside its own, as it is imported."""
import os
import signal
import time

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


def family(pid):
    """Every process below ``pid``: the children of each of its threads (a batch starts its
    sandboxes from worker threads), and theirs."""
    kids = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as children:
                kids += [int(kid) for kid in children.read().split()]
    except OSError:
        pass
    return kids + [grandchild for kid in kids for grandchild in family(kid)]


def kill_classmates():
    coordinator, mine = grader(), set()
    pid = os.getpid()
    while pid and pid != coordinator:  # my own line of processes, up to the coordinator
        mine.add(pid)
        try:
            with open(f"/proc/{pid}/status") as status:
                pid = int(next(line for line in status if line.startswith("PPid:")).split()[1])
        except (OSError, StopIteration, ValueError):
            break
    if coordinator is None:
        return
    deadline = time.monotonic() + 4
    while time.monotonic() < deadline:
        for sandbox in family(coordinator):
            if sandbox not in mine:
                try:
                    os.kill(sandbox, signal.SIGKILL)
                except OSError:
                    pass
        time.sleep(0.02)


def first_time():
    """Only the first import of a grading waits (the sandbox's TMPDIR lasts the whole grading)."""
    flag = os.path.join(os.environ.get("TMPDIR", "/tmp"), "mpgrade-attack-once")
    if os.path.exists(flag):
        return False
    open(flag, "w").close()
    return True


if first_time():
    kill_classmates()


def run_in_process(target, args=()):
    raise NotImplementedError
