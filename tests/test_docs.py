"""The README is the user's manual: its commands are CI's, and every option is documented."""

from __future__ import annotations

import dataclasses
import re

import pytest
from conftest import KIT

from grader.models import Limits

README = (KIT / "README.md").read_text()


def test_ci_runs_exactly_the_readme_commands() -> None:
    commands = [
        line
        for line in (KIT / ".ci" / "run").read_text().splitlines()
        if line and not line.startswith(("#", "set ", "cd ", "export "))
    ]
    assert len(commands) == 2
    for command in commands:
        assert f"\n{command}\n" in README


def test_every_limit_option_is_documented() -> None:
    for field in dataclasses.fields(Limits):
        option = f"`--{field.name.replace('_', '-')}`"
        assert option in README, option


def test_every_exit_code_is_documented() -> None:
    for code in ("| 0 |", "| 1 |", "| 2 |", "| 3 |"):
        assert code in README


COMMANDS = ("grade selfcheck", "grade batch", "grade gradescope-bundle", "grade github-workflow")


def test_every_command_and_format_is_documented() -> None:
    from grader.cli import COMMANDS
    from grader.report import RENDERERS

    for command in COMMANDS:
        assert f"grade {command}" in README, command
    for name in RENDERERS:
        assert f"`{name}`" in README, name


def test_every_gradebook_option_is_documented() -> None:
    for option in ("--gradebook", "--roster", "--missing", "--nbgrader-db", "--assignment"):
        assert f"`{option}" in README, option
    for section in ("## Using with nbgrader", "## Importing into Canvas", "## Importing into Moodle"):
        assert section in README, section


@pytest.mark.parametrize("command", ["grade", *COMMANDS])
def test_every_option_is_documented(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    from grader import cli

    with pytest.raises(SystemExit):
        cli.main([*command.split()[1:], "--help"])
    shown = capsys.readouterr().out
    assert shown.startswith(f"usage: {command}")
    options = set(re.findall(r"(?<![\w-])--[a-z][a-z-]+", shown)) - {"--help"}
    assert not [option for option in sorted(options) if option not in README]
