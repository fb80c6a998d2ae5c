"""Shared helpers for the project's own tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import psutil
import pytest

KIT = Path(__file__).resolve().parents[1]
ARTIFACTS = KIT / "test-artifacts"  # screenshots and figures a CI run keeps
CHROMIUM = "/usr/bin/chromium"
# What works on the course machines (and CI): Debian's chromium, headless, kept off the network.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DAEMON_MARK = "7301"  # hostile cases that escape the tree exec `sleep 7301` with an empty environment

# Started in the background by a shell, the tests inherit an ignored SIGINT, and so would every
# grader they start; the Ctrl-C tests need graders that get it as anyone's Ctrl-C.
if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)


def sandbox_processes() -> list[psutil.Process]:
    """Living processes of any sandbox on this machine: by the token that every sandbox's environment
    holds, or by the marker of the hostile daemons that clear it."""
    found = []
    for process in psutil.process_iter():
        try:
            if process.pid == os.getpid() or process.status() == psutil.STATUS_ZOMBIE:
                continue
            if "MPGRADE_TOKEN" in process.environ() or DAEMON_MARK in process.cmdline():
                found.append(process)
        except psutil.Error:
            pass
    return found


def survivors(processes: list[psutil.Process] | None = None, grace: float = 5) -> list[tuple[int, list[str]]]:
    """Of ``processes`` (every sandbox process on the machine, by default), those still alive after
    ``grace`` seconds: one that was only exiting when asked has ended by then, a survivor has not."""
    _, alive = psutil.wait_procs(sandbox_processes() if processes is None else processes, timeout=grace)
    found = []
    for process in alive:
        with contextlib.suppress(psutil.Error):
            found.append((process.pid, process.cmdline()))
    return found


def wait_for(condition: Callable[[], object], what: str) -> None:
    """Poll until ``condition()`` holds; bounded by a count, not measured."""
    for _ in range(3000):
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"never happened: {what}")


@pytest.fixture
def no_survivors() -> Iterator[None]:
    """After the test, scan every process on the machine and fail if one of a sandbox is still alive
    (the tests run one at a time: every sandbox on the machine is this test's)."""
    yield
    assert not survivors()


def _unavailable(reason: str) -> NoReturn:
    """In CI a missing browser is a failure; on a developer's machine it is a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"browser test cannot run in CI: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """Debian's chromium (installed by scripts/install-browser if missing), driven by Playwright,
    with a fresh profile."""
    try:
        done = subprocess.run(
            [str(KIT / "scripts" / "install-browser")],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        _unavailable(f"scripts/install-browser did not run: {error}")
    if done.returncode != 0:
        _unavailable(
            f"scripts/install-browser failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as error:
        _unavailable(f"the playwright package is not installed: {error}")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


SYSTEM_PYTHON = Path("/usr/bin/python3")  # a Python every user may run: the kit's own may be private to root


@pytest.fixture(scope="session")
def system_kit(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The kit installed (from this repository) into a virtual environment of the system's Python, in
    a folder every user may read: what the uid level and the runs as `nobody` need. Its bin folder."""
    if not SYSTEM_PYTHON.exists():
        _unavailable(f"{SYSTEM_PYTHON} is needed to test the uid level and runs as another user")
    root = Path(tempfile.mkdtemp(prefix="mpgrade-system-kit-", dir="/tmp"))
    root.chmod(0o755)
    venv = root / "venv"
    subprocess.run([str(SYSTEM_PYTHON), "-m", "venv", str(venv)], check=True)
    source = root / "kit"  # a copy: the repository's own .venv and caches stay out
    shutil.copytree(
        KIT, source, ignore=shutil.ignore_patterns(".venv", ".git", "test-artifacts", "*.egg-info", "tests")
    )
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "--quiet", str(source)], capture_output=True, text=True, timeout=900
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for path in (root, *root.rglob("*")):
        if not path.is_symlink():
            path.chmod(path.stat().st_mode | 0o044 | (0o011 if path.is_dir() else 0))
    return venv / "bin"


def as_nobody(command: list[str]) -> list[str]:
    """``command`` run as the unprivileged user nobody (the tests run as root)."""
    return ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", *command]
