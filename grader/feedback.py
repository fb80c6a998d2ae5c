"""Turn what the student's code raised or printed into text a student can act on.

Only the student's own lines are ever quoted: tracebacks are cut down to the frames of their
file, and paths inside the grader are never shown, so nothing of a hidden suite leaks out.
"""

from __future__ import annotations

import errno
import re
import traceback
from pathlib import Path

from grader.models import Location

SPAWN_HINT = (
    "Whatever a Pool is given, and under spawn and forkserver whatever a Process is given, is "
    "pickled: use functions defined at the top level of your module, not lambdas or nested functions."
)
MAIN_GUARD_HINT = (
    "A spawned child imports your module again: code at the top level that starts processes "
    "must go under `if __name__ == '__main__':`."
)


def student_frames(error: BaseException, submission: Path) -> list[traceback.FrameSummary]:
    return [frame for frame in traceback.extract_tb(error.__traceback__) if Path(frame.filename).parent == submission]


def location_of(frame: traceback.FrameSummary) -> Location:
    return Location(Path(frame.filename).name, frame.lineno or 0, (frame.line or "").strip())


def student_location(error: BaseException, submission: Path) -> Location | None:
    """The innermost line of the student's own file in ``error``'s traceback."""
    frames = student_frames(error, submission)
    return location_of(frames[-1]) if frames else None


def describe_error(error: BaseException, submission: Path) -> tuple[str, Location | None, str]:
    """Message, innermost student line, and a hint for an exception from the student's code."""
    frames = student_frames(error, submission)
    location = student_location(error, submission)
    name = type(error).__name__
    if isinstance(error, NotImplementedError) and location is not None:
        return (
            f"{frames[-1].name}() is not written yet: it still raises NotImplementedError "
            f"({location.file}:{location.line}).",
            location,
            "",
        )
    if isinstance(error, SystemExit):
        message = f"Your code called sys.exit({error.code!r}) while it was being graded."
    elif isinstance(error, MemoryError):
        message = "Your code ran out of memory: it went past the memory limit of a process."
    elif isinstance(error, OSError) and error.errno == errno.EFBIG:
        message = "Your code printed or wrote more than the output limit allows."
    else:
        message = f"Your code raised {name}: {error}"
    if frames:
        message += "\n" + "\n".join(
            f"  {Path(frame.filename).name}:{frame.lineno} in {frame.name}: {(frame.line or '').strip()}"
            for frame in frames[-5:]
        )
    return message, location, hint_for(f"{name}: {error}")


def hint_for(text: str) -> str:
    """A hint for errors whose cause a student cannot see from the message alone."""
    if re.search(r"pickl|Can't get attribute|lambda|<locals>", text, re.IGNORECASE):
        return SPAWN_HINT
    if "bootstrapping phase" in text:
        return MAIN_GUARD_HINT
    return ""


FILE_LINE = re.compile(r'^\s*File "(?P<file>[^"]+)", line (?P<line>\d+), in (?P<function>.*)$')
CODE_LINE = re.compile(r"^\s{4,}\S|^\s*[~^]+\s*$")  # a frame's source line, or 3.11's ^^^^ marks


def clean_output(text: str, submission: Path, limit: int) -> str:
    """What the student's processes printed, with tracebacks cut to the student's own frames.

    Children that crash print their traceback to stderr; those frames pass through
    multiprocessing and the grader's probes, whose source lines must not be shown. Line by line,
    because tracebacks of processes that crash together arrive interleaved.
    """
    kept: list[str] = []
    dropping = False  # inside a frame that is not the student's: its source lines go too
    for line in text.splitlines():
        frame = FILE_LINE.match(line)
        if frame:
            dropping = Path(frame["file"]).parent != submission
            if dropping:
                if not kept or not kept[-1].endswith("code left out)"):
                    kept.append("  (frames of Python's and the grader's code left out)")
                continue
            line = f'  File "{Path(frame["file"]).name}", line {frame["line"]}, in {frame["function"]}'
        elif dropping and CODE_LINE.match(line):
            continue
        else:
            dropping = False
        kept.append(_scrub(line, submission))
    return cut("\n".join(kept), limit)


def _scrub(line: str, submission: Path) -> str:
    """Show the student's file by name only, and no path inside the grader."""
    line = line.replace(f"{submission}/", "")
    return re.sub(r"\S*/grader/\S*", "<grader>", line)


def cut(text: str, limit: int) -> str:
    """At most ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}\n[... {len(text) - limit:,} more characters cut: output is limited to {limit:,}]"
