"""Writes the scenario's report itself, as it is imported, and leaves before the scenario runs."""
import json
import os
import stat
import struct
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def result_pipe():
    """The pipe the report goes to: a pipe this process writes that is not its stdout."""
    fds = []
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            info = os.fstat(fd)
        except OSError:
            continue
        writable = os.readlink(f"/proc/self/fd/{name}").startswith("pipe:") and fd > 2
        if writable and stat.S_ISFIFO(info.st_mode) and info.st_ino != os.fstat(1).st_ino:
            fds.append(fd)
    return fds[0] if fds else None


def observation(request):
    if request.scenario == "common.imports":
        return {"names": ["run_in_process"]}
    params = request.params
    code = 1 if params.get("raises") else (params.get("code") or 0)
    return {
        "returned": {"kind": "int", "text": str(code), "data": code, "type_name": ""},
        "caller": os.getpid(),
        "runs": [{"pid": os.getpid() + 1, "args": [repr(a) for a in params["args"]], "finished": True}],
        "running": [],
        "unjoined": [],
        "waited": True,
        "calls": [],
    }


def forge():
    frame, request, pipe = sys._getframe(), None, None
    while frame is not None:
        if "request" in frame.f_locals and hasattr(frame.f_locals["request"], "scenario"):
            request = frame.f_locals["request"]
            pipe = frame.f_locals.get("result", pipe)
        frame = frame.f_back
    pipe = pipe if isinstance(pipe, int) else result_pipe()
    if request is None or pipe is None:
        return
    report = {
        "scenario": request.scenario,
        "method": request.method,
        "outcome": "returned",
        "phase": "call",
        "observed": observation(request),
    }
    body = json.dumps(report).encode()
    os.write(pipe, struct.pack(">I", len(body)) + body)
    os._exit(0)


forge()


def run_in_process(target, args=()):
    raise NotImplementedError
