"""Fills the machine's /tmp (bounded: 360 MB, so a failing test cannot fill the disk)."""
import os

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    folder = "/tmp/mpgrade-attacks/loot/fill"
    block = b"\0" * (1024 * 1024)
    try:
        os.makedirs(folder, exist_ok=True)
        for number in range(24):
            with open(os.path.join(folder, f"fill-{number}"), "wb") as fill:
                for _ in range(15):
                    fill.write(block)
    except OSError:
        pass
    raise NotImplementedError
