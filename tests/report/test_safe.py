"""Text from the student's code is inert in every format: no terminal escape, carriage return or
bidirectional control acts, no rich markup, Markdown or HTML in it is read as such."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from report.samples import ALL_PASSED, EX05, FAILED, MISTAKE, TIMEOUT

from grader.models import CheckResult, ExerciseResult, Location, Status, SubmissionResult
from grader.report import RENDERERS, github, markdown
from grader.report.safe import inert, inert_result

# the red team's attempts, shortened: a header and PASS lines printed over the report on a terminal,
# a line overwritten after a carriage return, text reversed by a bidi override, rich markup, and a
# message that closes a fence and adds a heading, a table, an image and a script to the Markdown
FORGED = "\x1b[3A\x1b[1G\x1b[2Kex01 Run a function in a new process  10/10\n\x1b[32mPASS\x1b[0m  Passes args  1/1"
OVERWRITE = "wrong\r10/10 \u202eSSAP\u202c \u2066x\u2069 \u200f \u061c \x9b2J \x85"
MARKUP = "[red]x[/red] [link=http://evil.example]click[/link] [bold red]"
INJECTED = (
    "x\n```\n\n</details></pre></code>\n\n# ex01 10/10\n\n| check | status | points |\n|---|---|---|\n"
    "| Runs the target in a new child process | PASS | 3/3 |\n\n<img src=x onerror=alert(1)>"
    "<script>alert(document.cookie)</script>\n\n~~~\n- [x] done\n1. first\n---\n===\n> quoted\n[a](http://evil.example)"
)
HOSTILE = "\n".join([FORGED, OVERWRITE, MARKUP, INJECTED])

UNSAFE_CHARS = "\x1b\r\x00\x9b\x85\u202e\u202c\u2066\u2069\u200f\u061c"
RICH_COLOUR = re.compile(r"\x1b\[[0-9;]*m")  # what rich itself writes on a terminal: colours only


def hostile(message: str = HOSTILE) -> SubmissionResult:
    """Every text a student's code can put in a result holds ``message``."""
    located = Location(f"ex05\x1b[2K{message[:20]}.py", 14, f"if not item:  # {message}")
    check = replace(FAILED, message=message, output=message, location=located)
    broken = replace(TIMEOUT, cause=MISTAKE.id, stacks=f"consumer (pid 1):\n  {message}")
    cause = replace(MISTAKE, message=message, location=located, checks=(FAILED.id, TIMEOUT.id))
    problem = f"Importing ex05_queue_sentinel.py raised RuntimeError: {message}"
    exercise = replace(EX05, checks=(check, broken), causes=(cause,), problem=problem, file=f"ex05{message}.py")
    return SubmissionResult("x", (exercise,), student=f"Eve {message}", notes=(message,))


def shown_in_every_format(result: SubmissionResult) -> dict[str, str]:
    shown = {name: RENDERERS[name](result, False) for name in ("text", "markdown", "github", "junit", "gradescope")}
    shown["text on a terminal"] = RICH_COLOUR.sub("", RENDERERS["text"](result, True))
    shown["github summary"] = github.summary(result)
    shown["gradescope, decoded"] = "\n".join(test["output"] for test in json.loads(shown["gradescope"])["tests"])
    return shown


@pytest.mark.parametrize(
    ("raw", "escaped"),
    [
        ("\x00", "\\x00"),  # C0
        ("\x07", "\\x07"),
        ("\x08", "\\x08"),
        ("\x1b[2K", "\\x1b[2K"),
        ("\x1f", "\\x1f"),
        ("\x7f", "\\x7f"),  # DEL
        ("\x80", "\\x80"),  # C1
        ("\x9b2J", "\\x9b2J"),
        ("\x9f", "\\x9f"),
        ("a\rb", "a\\rb"),  # a carriage return would print b over a
        ("a\r", "a\\r"),
        ("\u202a\u202b\u202c\u202d\u202e", "\\u202a\\u202b\\u202c\\u202d\\u202e"),  # embeddings, overrides
        ("\u2066\u2067\u2068\u2069", "\\u2066\\u2067\\u2068\\u2069"),  # isolates
        ("\u200e\u200f\u061c", "\\u200e\\u200f\\u061c"),  # marks
        ("\u2028\u2029", "\\u2028\\u2029"),  # line breaks only to Python's splitlines
    ],
)
def test_inert_escapes_each_kind_of_control_character(raw: str, escaped: str) -> None:
    assert inert(raw) == escaped


def test_inert_keeps_ordinary_text_newlines_tabs_and_line_ends() -> None:
    ordinary = "Ünïcödé 名前 مرحبا 🙂 [x] `y` <z> & \\x1b\n\tindented\r\nnext line\n"
    assert inert(ordinary) == ordinary
    assert inert(inert(HOSTILE)) == inert(HOSTILE)  # escaping twice changes nothing


def test_inert_result_escapes_every_text_and_keeps_statuses() -> None:
    result = inert_result(hostile())
    assert inert_result(ALL_PASSED) == ALL_PASSED
    exercise = result.exercises[0]
    texts = [result.student, *result.notes, exercise.problem, exercise.file, exercise.causes[0].message]
    for check in exercise.checks:
        texts += [check.message, check.output, check.stacks]
        texts += [check.location.file, check.location.code] if check.location else []
    assert all(not set(text) & set(UNSAFE_CHARS) for text in texts)
    assert inert(HOSTILE) in exercise.checks[0].message
    assert [check.status for check in exercise.checks] == [Status.FAILED, Status.TIMEOUT]
    assert all(type(check.status) is Status for check in exercise.checks)


@pytest.mark.parametrize("name", ["text", "text on a terminal", "markdown", "github", "github summary", "junit",
                                  "gradescope", "gradescope, decoded"])  # fmt: skip
def test_no_control_character_of_the_student_reaches_a_format(name: str) -> None:
    shown = shown_in_every_format(hostile())[name]
    assert not set(shown) & set(UNSAFE_CHARS), name
    assert "\\x1b" in shown  # the student still sees what their text held


def test_rich_markup_in_the_students_text_is_shown_as_written() -> None:
    for color in (False, True):
        shown = RENDERERS["text"](hostile(MARKUP), color)
        assert MARKUP in RICH_COLOUR.sub("", shown)
        assert "\x1b]8;" not in shown  # no hyperlink was made of [link=...]


def test_the_text_report_has_only_its_own_lines() -> None:
    """The forged header and PASS lines stay inside indented blocks: the report's own lines, the
    header, the problem's first line and a line per check, are those an ordinary message gives."""

    def own(shown: str) -> list[str]:
        return [line for line in shown.splitlines() if not line.startswith("    ")]

    hostile_lines = own(RENDERERS["text"](hostile(), False))
    ordinary_lines = own(RENDERERS["text"](hostile("x"), False))
    assert hostile_lines[1].startswith("  Importing ex05_queue_sentinel.py raised RuntimeError: \\x1b[3A")
    assert hostile_lines[:1] + hostile_lines[2:] == ordinary_lines[:1] + ordinary_lines[2:]


def outside_fences(document: str) -> list[str]:
    """The lines of a Markdown document that are not in a fenced block (printed output and code are
    fenced, as they were written: there nothing is syntax), each fence kept as its opening line."""
    lines: list[str] = []
    fence = ""
    for line in document.splitlines():
        if fence:
            fence = "" if line == fence else fence
        elif re.fullmatch(r"`{3,}text", line):
            fence = line.removesuffix("text")
            lines.append(line)
        else:
            lines.append(line)
    assert not fence, "a fence was left open"
    return lines


def structure(document: str) -> list[str]:
    """What makes the Markdown's blocks outside its fences: the first word of each line that opens
    a heading, a table row, a fence, a list item, HTML or a quote."""
    opening = re.compile(r"\s*([#|`~<>*+-]|\d+[.)])")
    words = [line.split(" ")[0] for line in outside_fences(document) if opening.match(line)]
    return [re.sub("`{3,}", "```", word) for word in words]  # a fence is longer when what it holds has ```


def test_markdown_shows_the_students_text_without_reading_it_as_markdown_or_html() -> None:
    document = RENDERERS["markdown"](hostile(), False)
    read = "\n".join(outside_fences(document))
    assert "<script" not in read and "<img" not in read and "</details>" not in read
    assert "&lt;script&gt;alert(document.cookie)&lt;/script&gt;" in read
    # the same blocks as for an ordinary message: no heading, table, fence, list, HTML or quote was added
    assert structure(document) == structure(RENDERERS["markdown"](hostile("x"), False))
    forged = ("# ex01", "| check", "|---", "| Runs", "- [x]")
    assert not any(line.startswith(forged) for line in outside_fences(document))


def test_a_commonmark_parser_finds_no_block_link_or_html_of_the_students_text() -> None:
    """What a renderer makes of it (markdown-it-py comes with rich): the hostile document has the
    blocks and the kinds of inline markup of an ordinary one, only more paragraphs and line breaks."""
    parser = pytest.importorskip("markdown_it").MarkdownIt("commonmark").enable(["table", "strikethrough"])

    def blocks(document: str) -> list[str]:
        return [token.type for token in parser.parse(document) if token.type not in ("paragraph_open", "inline")]

    def inline(document: str) -> set[str]:
        return {child.type for token in parser.parse(document) for child in token.children or []} - {"softbreak"}

    document, ordinary = RENDERERS["markdown"](hostile(), False), RENDERERS["markdown"](hostile("x"), False)
    assert [kind for kind in blocks(document) if kind != "paragraph_close"] == [
        kind for kind in blocks(ordinary) if kind != "paragraph_close"
    ]
    assert inline(document) == inline(ordinary)
    html = parser.render(document)
    assert "<script" not in html and "<img" not in html and 'href="http://evil' not in html


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("# heading", "\\# heading"),
        ("  ## heading", "  \\## heading"),
        ("- item\n+ item\n* item", "\\- item\n\\+ item\n\\* item"),
        ("1. first\n2) second", "1\\. first\n2\\) second"),
        ("---\n===\n***\n___", "\\---\n\\===\n\\*\\*\\*\n\\_\\_\\_"),
        ("| a | b |", "\\| a \\| b \\|"),
        ("```\n~~~", "\\`\\`\\`\n\\~\\~\\~"),
        ("[a](http://x) ![b](y)", "\\[a](http://x) !\\[b](y)"),
        ("<img src=x> & &amp; > quote", "&lt;img src=x&gt; &amp; &amp;amp; &gt; quote"),
        ("\\`$x$", "\\\\\\`\\$x\\$"),
        ("__init__ *x* _y_", "\\_\\_init\\_\\_ \\*x\\* \\_y\\_"),
    ],
)
def test_markdown_escape_of_each_kind_of_syntax(text: str, escaped: str) -> None:
    assert markdown.escape(text) == escaped


def test_markdown_escape_leaves_ordinary_messages_alone() -> None:
    message = "Your code raised RuntimeError: run_in_process returned 12-3, not 0 (see line 4)."
    assert markdown.escape(message) == message


def test_junit_is_well_formed_with_nul_and_escape_in_a_message() -> None:
    check = CheckResult("c", "t", Status.ERROR, 0, 1, message="nul\x00 esc\x1b[2K bell\x07 \ufffe end")
    document = RENDERERS["junit"](SubmissionResult("x", (ExerciseResult("ex01", "t", "f", (check,), ("fork",)),)))
    error = ET.fromstring(document.encode()).find("testsuite/testcase/error")
    assert error is not None and error.get("message") == "nul\\x00 esc\\x1b[2K bell\\x07  end"
    ET.fromstring(RENDERERS["junit"](hostile(), False).encode())


def test_the_github_summary_table_escapes_what_it_lists() -> None:
    """More causes than annotations: the rest are rows of a Markdown table, one per cause."""
    payload = "<img src=x onerror=alert(1)> | PASS | 3/3 | \x1b[2K"
    exercises = tuple(
        ExerciseResult(
            f"ex{index:02}", "t", f"ex{index:02}.py", (CheckResult("c", "t", Status.ERROR, 0, 1, payload),), ("fork",)
        )
        for index in range(github.MAX_ERRORS + 1)
    )
    shown = github.summary(SubmissionResult("x", exercises))
    table = shown.split("## Not shown as annotations\n\n")[1].split("\n\n")[0].splitlines()
    assert len(table) == 3 and table[2].count(" | ") == 3  # the header, its rule and one row of four cells
    assert "<img" not in shown and "\x1b" not in shown


def test_json_keeps_the_data_and_escapes_what_a_terminal_would_act_on() -> None:
    result = hostile()
    dumped = RENDERERS["json"](result, False)
    assert not set(dumped) & set(UNSAFE_CHARS)
    assert json.loads(dumped)["exercises"][0]["checks"][0]["message"] == HOSTILE  # the same data
