"""The CPython internals the kit reads (``grader.scenarios.cpython``) are where it expects them on
this Python; ``tests/test_pythons.py`` runs the same program on every other supported one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

INTERNALS = Path(__file__).with_name("internals.py")


def check_internals(python: str) -> None:
    """Run the checks of ``internals.py`` in a fresh ``python``: a failure names the internal that moved."""
    done = subprocess.run([python, str(INTERNALS)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.strip() == "ok", done.stdout + done.stderr


def test_the_internals_the_kit_reads_are_where_it_expects_them() -> None:
    check_internals(sys.executable)
