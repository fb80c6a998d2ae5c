"""Starts no process at all: writes the notes the grader's target would have written, releases it
as if the parent had joined, and returns the exit code the target was told to give."""
import json
import os
from pathlib import Path

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    folder = Path(target.folder)
    pid = os.getpid() + 1  # a process that never existed
    (folder / f"ran-{pid}-1").write_text(json.dumps({"pid": pid, "args": [repr(a)[:200] for a in args]}))
    (folder / f"done-{pid}-1").write_text(json.dumps({"pid": pid, "released": True}))
    Path(target.release.folder, f"release-{target.key}").touch()
    if target.raises:
        return 1
    return target.code if target.code is not None else 0
