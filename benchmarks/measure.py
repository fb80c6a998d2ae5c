"""The measurements: each starts real commands and times them with a monotonic clock."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from grader.sandbox import isolation

from . import classes, stats
from .model import ClassRun, Single

KIT = classes.KIT
SYSTEM_PYTHON = Path("/usr/bin/python3")  #: a Python every user may run, for the uid level and the pytest loop
# The benchmark's files (classes, results of the batches, venvs): not in /tmp, which other jobs of a
# shared machine may sweep in the middle of an hour-long run; a folder every user may enter.
BASE = Path("/var/tmp" if os.path.isdir("/var/tmp") else tempfile.gettempdir()) / "mpgrade-bench"
KITS_CACHE = BASE / "kits"  #: venvs of the system Python, kept between runs
PYCACHE = KITS_CACHE / "pycache"  #: PYTHONPYCACHEPREFIX of the commands timed
LOOP = Path(__file__).with_name("pytest_loop.sh")
ASSIGNMENT = "multiprocessing"
STARTED = time.monotonic()


LOG: list[Path] = []  #: where ``say`` also writes (the output folder's run.log)


def say(message: str) -> None:
    """Progress on stderr and in the log: a full run takes the better part of two hours."""
    elapsed = time.monotonic() - STARTED
    line = f"[{int(elapsed) // 60:3d}:{int(elapsed) % 60:02d}] {message}"
    print(line, file=sys.stderr, flush=True)
    for log in LOG:
        with log.open("a") as opened:
            opened.write(line + "\n")


def scratch() -> Path:
    """A fresh folder for one run's classes and batches, that other users may enter."""
    BASE.mkdir(mode=0o755, parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="run-", dir=BASE))
    folder.chmod(0o755)
    return folder


def child_env() -> dict[str, str]:
    """The environment of the commands timed: this one, but with Python's bytecode cache on, as on
    a teacher's or a student's machine (in a folder of the benchmark's own, so that nothing is
    written into the kits' source trees)."""
    env = {name: value for name, value in os.environ.items() if name not in ("PYTHONDONTWRITEBYTECODE", "PYTHONPATH")}
    return {**env, "PYTHONPYCACHEPREFIX": str(PYCACHE)}


def timed(
    command: list[str], *, cwd: Path, env: dict[str, str] | None = None
) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.monotonic()
    env = env or child_env()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    return time.monotonic() - started, done


def busy_seconds() -> float:
    """CPU seconds the machine's cores have spent busy since it started (idle and I/O wait left out)."""
    times = psutil.cpu_times()
    return sum(times) - times.idle - getattr(times, "iowait", 0.0)


def git_commit(folder: Path) -> str:
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True)
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = [line for line in git("status", "--porcelain").splitlines() if "benchmarks/results" not in line]
    return f"{commit} (with uncommitted changes)" if changed else commit


# --- environments -----------------------------------------------------------------------------


def readable(root: Path) -> None:
    """Every user may read (and enter) ``root`` and what is below it."""
    for path in (root, *root.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() else 0))


def system_venv(name: str, source: Path) -> Path:
    """A venv of /usr/bin/python3 with the kit at ``source`` ``pip install``ed into it, in a folder
    every user may read (what the uid level and the pytest loop's own user need; see
    ``tests/conftest.py``'s ``system_kit``). Kept under KITS_CACHE by the hash of the kit's files;
    returns its bin folder."""
    BASE.mkdir(mode=0o755, parents=True, exist_ok=True)
    KITS_CACHE.mkdir(mode=0o755, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=KITS_CACHE))
    kit = staging / "kit"
    ignore = shutil.ignore_patterns(
        ".venv", ".git", "tests", "benchmarks", "*.egg-info", "build", "test-artifacts", "__pycache__", ".*_cache"
    )
    shutil.copytree(source, kit, ignore=ignore)
    digest = hashlib.sha256()
    for path in sorted(kit.rglob("*")):
        if path.is_file():
            digest.update(str(path.relative_to(kit)).encode() + b"\0" + path.read_bytes())
    home = KITS_CACHE / f"{name}-{digest.hexdigest()[:12]}"
    python = home / "venv" / "bin" / "python"
    if (home / "ready").exists() and subprocess.run([str(python), "-c", "import grader"], cwd="/").returncode == 0:
        shutil.rmtree(staging)
        return home / "venv" / "bin"
    for stale in KITS_CACHE.glob(f"{name}-*"):  # older versions of the same kit, and half-made ones
        if stale != staging:
            shutil.rmtree(stale, ignore_errors=True)
    staging.rename(home)
    say(f"installing {source} into a venv of {SYSTEM_PYTHON} in {home}")
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(home / "venv")], check=True)
    done = subprocess.run(
        [str(home / "venv" / "bin" / "pip"), "install", "--quiet", str(home / "kit")], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"pip install into {home} failed:\n{done.stderr[-3000:]}")
    readable(home)
    (home / "ready").touch()
    return home / "venv" / "bin"


def python_version(python: Path) -> str:
    done = subprocess.run(
        [str(python), "-c", "import sys; print(sys.version.split()[0])"], capture_output=True, text=True
    )
    return f"{done.stdout.strip()} ({python})"


# --- grade on one submission --------------------------------------------------------------------


@dataclass(frozen=True)
class Config:
    grader: str  #: new, old
    target: str
    submission: str  #: solutions, stubs
    start_method: str
    isolation: str  #: what was asked for: auto, namespaces, uid, process ("" for the old kit)
    python: str  #: kit, system
    bin: Path  #: the venv's bin folder

    def command(self) -> list[str]:
        folder = KIT / ("solutions" if self.submission == "solutions" else "exercises")
        command = [str(self.bin / "grade"), self.target, "--submission", str(folder), "--format", "json"]
        command += ["--start-method", self.start_method]
        if self.grader == "new":
            command += ["--isolation", self.isolation]
        return command


@dataclass
class Runs:
    """What the repetitions of one configuration gave."""

    wall: list[float] = field(default_factory=list)
    in_checks: list[float] = field(default_factory=list)
    score: str = ""
    isolation: str = ""
    unavailable: str = ""


def runs_of_checks() -> dict[str, dict[str, str]]:
    """Per exercise, check name -> the name of the scenario run it reads (from this kit's judge)."""
    from grader.exercises import EXERCISES

    return {e.id: {check.spec.id: check.run.name for check in e.judged()} for e in EXERCISES.values()}


def one_grading(config: Config, runs: Runs, runs_of: dict[str, dict[str, str]]) -> None:
    seconds, done = timed(config.command(), cwd=KIT)
    if done.returncode not in (0, 1):
        lines = (done.stderr.strip() or done.stdout.strip() or f"exit code {done.returncode}").splitlines()
        runs.unavailable = lines[0].removeprefix("grade: error: ")
        return
    report = json.loads(done.stdout)
    runs.wall.append(seconds)
    if config.grader == "new":
        runs.in_checks.append(
            sum(stats.distinct_run_seconds(e, runs_of.get(e["exercise"], {})) for e in report["exercises"])
        )
        runs.isolation = report["exercises"][0].get("isolation") or config.isolation
    else:
        runs.in_checks.append(sum(stats.summed_check_seconds(e) for e in report["exercises"]))
        runs.isolation = "tree"
    runs.score = f"{report['score']}/{report['max_score']}"


def singles(configs: list[Config], repeat: int) -> list[Single]:
    """Every configuration ``repeat`` times, the configurations interleaved so that a noisy minute
    of the machine spreads over all of them instead of falling on one."""
    runs_of = runs_of_checks()
    results = {config: Runs() for config in configs}
    for kit in dict.fromkeys(config.bin for config in configs):  # a first run compiles and warms caches
        warm = next(config for config in configs if config.bin == kit)
        timed([str(kit / "grade"), "ex01", "--submission", str(KIT / "solutions")], cwd=KIT)
        say(f"warmed up {warm.grader} grader ({kit})")
    for rep in range(repeat):
        say(f"single gradings: repetition {rep + 1} of {repeat} ({len(configs)} configurations)")
        for config in configs:
            if not results[config].unavailable:
                one_grading(config, results[config], runs_of)
    found = []
    for config, runs in results.items():
        wall = stats.spread(runs.wall) if runs.wall and not runs.unavailable else None
        in_checks = stats.spread(runs.in_checks) if wall else None
        overhead = (
            stats.spread([w / c for w, c in zip(runs.wall, runs.in_checks, strict=True) if c > 0])
            if wall and all(c > 0 for c in runs.in_checks)
            else None
        )
        found.append(
            Single(
                config.grader,
                config.target,
                config.submission,
                config.start_method,
                runs.isolation or config.isolation,
                config.python,
                wall,
                in_checks,
                overhead,
                runs.score,
                runs.unavailable,
            )  # fmt: skip
        )
    return found


# --- a whole class ------------------------------------------------------------------------------


def class_run(
    size: int,
    files: int,
    way: str,
    seconds: float,
    *,
    leftovers: int | None = None,
    kills: int | None = None,
    note: str = "",
    busy: float | None = None,
) -> ClassRun:
    per_minute = stats.per_minute
    cores = busy / seconds if busy is not None and seconds > 0 else None
    return ClassRun(
        size, files, way, seconds, per_minute(size, seconds), per_minute(files, seconds), leftovers, kills, note, cores
    )


def grade_batch(kit_bin: Path, folder: Path, out: Path, jobs: int, size: int, files: int) -> ClassRun:
    command = [str(kit_bin / "grade"), "batch", str(folder), "--out", str(out), "-j", str(jobs)]
    before = busy_seconds()
    seconds, done = timed(command, cwd=KIT)
    busy = busy_seconds() - before
    note = ""
    if done.returncode != 0:
        note = f"exit code {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"
    return class_run(size, files, f"grade -j {jobs}", seconds, note=note, busy=busy)


def processes() -> Iterator[tuple[int, int]]:
    """(pid, real uid) of every living process (zombies left out), from /proc."""
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("State", "").strip().startswith("Z"):
            continue
        yield int(entry.name), int(fields["Uid"].split()[0])


def end_all(uid: int, settle: float = 2.0) -> int:
    """Count the processes of ``uid`` (the loop's own user) still alive ``settle`` seconds after
    its last run (a forkserver or resource tracker takes a moment to see its parent gone), then
    kill them, by pid."""
    deadline = time.monotonic() + settle
    while any(owner == uid for _, owner in processes()) and time.monotonic() < deadline:
        time.sleep(0.1)
    found = [pid for pid, owner in processes() if owner == uid]
    for _ in range(100):
        alive = [pid for pid, owner in processes() if owner == uid]
        if not alive:
            break
        for pid in alive:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.1)
    return len(found)


@dataclass
class Loop:
    """The plain pytest loop's environment: the previous kit in a system venv, run as a user of its own."""

    python: Path
    suites: Path
    work: Path
    uid: int
    timeout: float = 5.0
    nproc: int = 2048
    backstop: float = 120.0

    @classmethod
    def make(cls, baseline: Path, work: Path) -> Loop:
        bin_folder = system_venv("baseline", baseline)
        python = bin_folder / "python"
        done = subprocess.run(
            [str(python), "-c", "import grader.suites, os; print(os.path.dirname(grader.suites.__file__))"],
            capture_output=True, text=True, check=True, cwd="/", env={"PATH": os.defpath},
        )  # fmt: skip
        uid = isolation.free_uid()  # the grader's own: no account has it, no process runs as it
        work.mkdir(parents=True)
        os.chown(work, uid, uid)
        return cls(python, Path(done.stdout.strip()), work, uid)

    def env(self) -> dict[str, str]:
        return {
            "PATH": os.environ.get("PATH", os.defpath), "PYTHON": str(self.python), "SUITES": str(self.suites),
            "TIMEOUT": f"{self.timeout:g}", "WORK": str(self.work), "LOOP_UID": str(self.uid),
            "NPROC": str(self.nproc), "BACKSTOP": f"{self.backstop:g}",
        }  # fmt: skip


def backstopped(line: str, backstop: float) -> bool:
    """A line of ``pytest_loop.sh`` (exercise, exit code, seconds) says the backstop killed the run:
    SIGKILL (137) once the time was up, not a SIGKILL of the student's own (kills-grader)."""
    parts = line.split()
    return len(parts) == 3 and parts[1] == "137" and float(parts[2]) >= backstop - 1


def pytest_loop(
    loop: Loop, folder: Path, students: list[classes.Student], files: int
) -> tuple[ClassRun, dict[str, int]]:
    """Student after student, each file through plain pytest; between two students (not timed),
    the processes the runs left behind are counted in /proc, then killed."""
    end_all(loop.uid)
    seconds = 0.0
    leftovers: dict[str, int] = {}
    kills = 0
    busy = 0.0
    for student in students:
        before = busy_seconds()
        took, done = timed(["bash", str(LOOP), str(folder / student.name)], cwd=folder, env=loop.env())
        busy += busy_seconds() - before
        seconds += took
        kills += sum(backstopped(line, loop.backstop) for line in done.stdout.splitlines())
        left = end_all(loop.uid)
        if left:
            case = " + ".join(f.case for f in student.files)
            leftovers[case] = leftovers.get(case, 0) + left
    run = class_run(
        len(students), files, "pytest loop", seconds, leftovers=sum(leftovers.values()), kills=kills, busy=busy
    )
    return run, leftovers


# --- nbgrader ---------------------------------------------------------------------------------


def nbgrader_env(kit_bin: Path) -> dict[str, str]:
    # nbgrader starts `alembic` and the kernel from the same environment
    return {**child_env(), "PATH": f"{kit_bin}{os.pathsep}{os.environ.get('PATH', os.defpath)}"}


def nbgrader_course(kit_bin: Path, course: Path) -> Path:
    """The nbgrader course of ``grade notebooks``, with the student version generated (not timed)."""
    for command, cwd in (
        ([str(kit_bin / "grade"), "notebooks", str(course), "--assignment", ASSIGNMENT], KIT),
        ([str(kit_bin / "nbgrader"), "generate_assignment", ASSIGNMENT], course),
    ):
        done = subprocess.run(command, cwd=cwd, env=nbgrader_env(kit_bin), capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return course


def hand_in(release: Path, submitted: Path, student: classes.Student) -> None:
    """The student's released notebooks with their code in the student cell; only the exercises
    they handed in, as in the batch."""
    for file in student.files:
        module = file.path.stem
        notebook = json.loads((release / f"{module}.ipynb").read_text())
        (cell,) = [c for c in notebook["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == module]
        cell["source"] = f"%%writefile {file.path.name}\n{file.path.read_text()}"
        folder = submitted / student.name / ASSIGNMENT
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{module}.ipynb").write_text(json.dumps(notebook))


def nbgrader_autograde(
    kit_bin: Path, template: Path, course: Path, students: list[classes.Student], files: int
) -> ClassRun:
    shutil.copytree(template, course)
    for student in students:
        hand_in(course / "release" / ASSIGNMENT, course / "submitted", student)
    command = [str(kit_bin / "nbgrader"), "autograde", ASSIGNMENT]
    before = busy_seconds()
    seconds, done = timed(command, cwd=course, env=nbgrader_env(kit_bin))
    busy = busy_seconds() - before
    graded = len(list((course / "autograded").glob(f"*/{ASSIGNMENT}/*.ipynb")))
    note = f"{graded} notebooks autograded"
    if done.returncode != 0:
        note += f"; exit code {done.returncode}: {done.stderr.strip().splitlines()[-1:]}"
    return class_run(len(students), files, "nbgrader autograde", seconds, note=note, busy=busy)


def each_size(sizes: list[int], scratch: Path) -> Iterator[tuple[int, Path, list[classes.Student]]]:
    for size in sizes:
        students = classes.generate(size)
        folder = classes.write(students, scratch / f"class-{size}")
        readable(folder)
        yield size, folder, students
