"""Wall-clock figures for the README and the closing notes; run by hand, never by the tests.

.venv/bin/python benchmarks/speed.py            # single gradings and hostile cases
.venv/bin/python benchmarks/speed.py --batch    # also a class of 100 at -j 1 and -j 2
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomllib

KIT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(KIT / "tests"))


def timed(command: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, cwd=KIT)
    return time.monotonic() - started, done


def grade(*args: str) -> list[str]:
    return [sys.executable, "-m", "grader", *args]


def median_of(command: list[str], runs: int = 3) -> float:
    return statistics.median(timed(command)[0] for _ in range(runs))


def single() -> None:
    print(
        f"grade all --submission solutions: {median_of(grade('all', '--submission', 'solutions')):.1f} s (median of 3)"
    )
    for exercise in ("ex01", "ex02", "ex03", "ex04", "ex05"):
        seconds = median_of(grade(exercise, "--submission", "solutions"))
        print(f"grade {exercise} --submission solutions: {seconds:.1f} s")


def hostile() -> None:
    print("\nhostile cases (grade all --submission <case>):")
    for case in sorted((KIT / "tests" / "isolate" / "hostile").iterdir()):
        spec = tomllib.loads((case / "case.toml").read_text())
        limits = [f"--{name.replace('_', '-')}={value}" for name, value in spec.get("limits", {}).items()]
        seconds, done = timed(grade(spec["exercise"], "--submission", str(case), "--format", "json", *limits))
        result = json.loads(done.stdout)["exercises"][0]
        first = result["problem"] or next(c["message"] for c in result["checks"] if c["status"] != "passed")
        score = f"{result['score']}/{result['max_score']}"
        print(f"  {case.name:<22} {seconds:5.1f} s  {score:>5}  {first.splitlines()[0][:110]}")


def batch() -> None:
    from batch.classes import as_folders, generated

    with tempfile.TemporaryDirectory() as scratch:
        source = as_folders(generated(100), Path(scratch) / "class")
        files = sum(1 for _ in source.rglob("*.py"))
        print(f"\nbatch of 100 students ({files} files, every start method):")
        for jobs in (1, 2):
            out = Path(scratch) / f"out{jobs}"
            seconds, done = timed(grade("batch", str(source), "--out", str(out), "-j", str(jobs)))
            assert done.returncode == 0, done.stderr
            print(f"  -j {jobs}: {seconds:.0f} s")
        seconds, done = timed(grade("batch", str(source), "--out", str(Path(scratch) / "out2"), "-j", "2"))
        print(f"  rerun with every result stored: {seconds:.1f} s ({done.stdout.splitlines()[0]})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch", action="store_true")
    options = parser.parse_args()
    single()
    hostile()
    if options.batch:
        batch()
