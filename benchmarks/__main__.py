"""``.venv/bin/python -m benchmarks [--quick]``: measure, then write the table, the JSON and the plots.

Run by hand, on demand; never by the tests. See README: Benchmark.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

from . import measure, plots, report, stats
from .classes import LEFT_OUT, describe
from .measure import KIT, Config, say
from .model import Machine, Results, read_json, write_json

PARTS = ("singles", "batch", "pytest-loop", "nbgrader")
TARGETS = ("ex01", "ex02", "ex03", "ex04", "ex05", "all")
SUBMISSIONS = ("solutions", "stubs")


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 1 repetition, classes of 6 and 12")
    parser.add_argument("--out", type=Path, default=KIT / "benchmarks" / "results", help="default: benchmarks/results")
    parser.add_argument("--repeat", type=int, help="runs of each single grading (default 5; --quick: 1)")
    parser.add_argument("--sizes", help="class sizes (default 25,50,100,200; --quick: 6,12)")
    parser.add_argument("--nbgrader-sizes", help="class sizes nbgrader grades too (default 25,50; --quick: 6)")
    parser.add_argument(
        "--baseline", type=Path, default=KIT.parent / "baseline",
        help="a checkout of the kit before the rewrite (a715309) with its own .venv (default: ../baseline)",
    )  # fmt: skip
    parser.add_argument("--parts", default=",".join(PARTS), help=f"what to measure (default: {','.join(PARTS)})")
    parser.add_argument(
        "--render", type=Path, metavar="JSON", help="measure nothing: write the table and plots of a results.json again"
    )
    return parser.parse_args(argv)


def numbers(text: str) -> list[int]:
    return sorted({int(part) for part in text.split(",") if part.strip()})


def configs(kit_bin: Path, old_bin: Path | None, system_bin: Path | None, old_system_bin: Path | None) -> list[Config]:
    found = []
    for target in TARGETS:
        for submission in SUBMISSIONS:
            for method in ("all", "fork", "spawn", "forkserver"):
                found.append(Config("new", target, submission, method, "auto", "kit", kit_bin))
                if old_bin is not None:
                    found.append(Config("old", target, submission, method, "", "kit", old_bin))
            if system_bin is not None:
                for level in ("namespaces", "uid", "process"):
                    found.append(Config("new", target, submission, "all", level, "system", system_bin))
            if old_system_bin is not None:
                found.append(Config("old", target, submission, "all", "", "system", old_system_bin))
    return found


NOTES = [
    "Time in checks, new kit: every scenario run reports its own seconds (the runner's clock, from the "
    "request to the end of its sweep: forking the scenario process, importing the student's module, the "
    "scenario, collecting stacks on a time-out, killing what is left). A check's `duration` in `grade "
    "--format json` is the seconds of the run it reads, summed over its start methods, and several checks "
    "read one run, so the benchmark counts each run once (check -> run from `grader.judge`), over every "
    "exercise graded. Overhead = the `grade` command's wall time / that sum: the interpreter's start, "
    "discovery, the sandbox's start and end, judging and rendering. `grade all` grades the exercises side "
    "by side, so its ratio can be below the sum of its parts.",
    "Time in checks, old kit: the sum of its checks' `duration` (each pytest item, setup and teardown "
    "included, so a shared fixture counts with its first check).",
    "Old kit: `/work/baseline`-style checkout of a715309 and its own .venv; it has no isolation levels (a "
    "process tree of the grader's user), so its rows say `tree`.",
    "Every command timed runs with Python's bytecode cache on (`PYTHONPYCACHEPREFIX`, a folder of the "
    "benchmark's), as on a teacher's machine, whatever `PYTHONDONTWRITEBYTECODE` this shell has; a first, "
    "untimed run of each kit fills it.",
    "Cores busy: the CPU seconds every core of the machine spent busy while the command ran (psutil's "
    "`cpu_times`, idle and I/O wait left out), over its wall time. One grading at `-j 1` already keeps more "
    "than one core busy at times (the student's processes, the sandbox's runner and the judge run at once), "
    "so `-j 2` can be at most (cores / cores busy at `-j 1`) times faster: that is the last column.",
    "Per isolation level: the uid level needs a Python other users may run, so these rows run the kit "
    "`pip install`ed into a venv of /usr/bin/python3 (all three levels), and the old kit likewise, so that "
    "each level is compared with the old kit on the same Python.",
]


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    out: Path = options.out
    out.mkdir(parents=True, exist_ok=True)
    measure.LOG.append(out / "run.log")
    if options.render:
        results = read_json(options.render)
        publish(results, out, results.command or command(results.quick, []))
        return 0
    (out / "run.log").write_text("")
    parts = set(options.parts.split(","))
    unknown = parts - set(PARTS)
    if unknown:
        raise SystemExit(f"unknown part {', '.join(sorted(unknown))}: choose from {', '.join(PARTS)}")
    quick = options.quick
    repeat = options.repeat or (1 if quick else 5)
    sizes = numbers(options.sizes or ("6,12" if quick else "25,50,100,200"))
    nbgrader_sizes = set(numbers(options.nbgrader_sizes or ("6" if quick else "25,50")))
    results = Results(quick, repeat, command(quick, sys.argv[1:] if argv is None else argv))
    results.notes += NOTES
    started, wall_started, load_before = time.strftime("%Y-%m-%d %H:%M %Z"), time.monotonic(), os.getloadavg()
    kit_bin = Path(sys.executable).parent
    baseline: Path = options.baseline
    old_bin: Path | None = baseline / ".venv" / "bin"
    if not (baseline / ".venv" / "bin" / "grade").exists():
        results.notes.append(
            f"No old kit at {baseline} (with .venv/bin/grade): old columns and the pytest loop are missing."
        )
        old_bin = None
        parts.discard("pytest-loop")
    system_bin = measure.system_venv("kit", KIT) if "singles" in parts else None
    old_system_bin = measure.system_venv("old", baseline) if "singles" in parts and old_bin else None

    def machine() -> Machine:
        return Machine(
            os.cpu_count() or 0, load_before, os.getloadavg(), measure.git_commit(KIT),
            measure.git_commit(baseline) if old_bin else "missing", measure.python_version(kit_bin / "python"),
            measure.python_version(measure.SYSTEM_PYTHON), started, time.monotonic() - wall_started,
        )  # fmt: skip

    def save() -> None:
        results.fits = stats.fits(results.classes)
        results.machine = machine()
        write_json(results, out / "results.json")

    if "singles" in parts:
        results.singles = measure.singles(configs(kit_bin, old_bin, system_bin, old_system_bin), repeat)
        save()
    if parts & {"batch", "pytest-loop", "nbgrader"}:
        scratch = measure.scratch()
        try:
            classes_of(results, parts, sizes, nbgrader_sizes, kit_bin, baseline, scratch, save)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    save()
    publish(results, out, results.command)
    return 0


def classes_of(
    results: Results,
    parts: set[str],
    sizes: list[int],
    nbgrader_sizes: set[int],
    kit_bin: Path,
    baseline: Path,
    scratch: Path,
    save: Callable[[], None],
) -> None:
    loop = measure.Loop.make(baseline, scratch / "loop-work") if "pytest-loop" in parts else None
    template = measure.nbgrader_course(kit_bin, scratch / "nbgrader-template") if "nbgrader" in parts else None
    if loop is not None:
        results.notes.append(
            f"pytest loop: `benchmarks/pytest_loop.sh`, the old kit's suites with `pytest --timeout {loop.timeout:g}`, "
            f"under Python {measure.python_version(loop.python)}, run as a user id of its own with at most "
            f"{loop.nproc} processes (for the shared machine: a fork bomb would take its process table), and "
            f"killed with its process group after {loop.backstop:g} s if it never ends (as a teacher's Ctrl-C "
            "would; a bare loop would wait forever). After each "
            "student, the processes of that user still alive 2 s after its last run are counted, then killed."
        )
    for size, folder, students in measure.each_size(sizes, scratch):
        files = sum(len(s.files) for s in students)
        say(f"class of {describe(students)}")
        if "batch" in parts:
            for jobs in (1, 2):
                results.classes.append(
                    measure.grade_batch(kit_bin, folder, scratch / f"out-{size}-{jobs}", jobs, size, files)
                )
                say(f"  grade batch -j {jobs}: {results.classes[-1].wall:.0f} s")
        if loop is not None:
            run, leftovers = measure.pytest_loop(loop, folder, students, files)
            results.classes.append(run)
            results.leftovers = leftovers  # the largest class holds every smaller one
            say(f"  pytest loop: {run.wall:.0f} s, {run.leftover_processes} processes left behind")
        if template is not None and size in nbgrader_sizes:
            run = measure.nbgrader_autograde(kit_bin, template, scratch / f"nbgrader-{size}", students, files)
            results.classes.append(run)
            say(f"  nbgrader autograde: {run.wall:.0f} s ({run.note})")
        save()
    if template is not None:
        results.notes.append(
            f"nbgrader autograde graded the classes of {', '.join(map(str, sorted(nbgrader_sizes & set(sizes))))} "
            "students only (a notebook per exercise handed in; its course from `grade notebooks`)."
        )
    results.notes.append(
        "The class: per 20 students 4 reference solutions, 6 correct variants (tests/judge/cases/correct), 8 "
        "wrong solutions (the whole catalogue, deadlocks included) and 2 hostile submissions "
        "(tests/sandbox/hostile), every third student with two exercises; left out: "
        + ", ".join(f"{name} ({why})" for name, why in LEFT_OUT.items())
        + "."
    )


def command(quick: bool, argv: list[str]) -> str:
    """The command as typed; without its arguments (an older results file), what ``quick`` says."""
    return shlex.join([".venv/bin/python", "-m", "benchmarks", *(argv or (["--quick"] if quick else []))])


def publish(results: Results, out: Path, shown: str) -> None:
    (out / "results.md").write_text(report.render(results, shown))
    written = plots.write(results, out)
    say(f"wrote {out / 'results.md'}, {out / 'results.json'}, " + ", ".join(str(p) for p in written))


if __name__ == "__main__":
    sys.exit(main())
