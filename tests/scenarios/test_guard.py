"""The run-time reach gate: what a submission that got past the static gate (names hidden behind
aliases and strings) still cannot do, and what ordinary code still can."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from grader.scenarios import guard, probes

RUN = """
import sys
from grader.scenarios import guard
guard.install()
path = sys.argv[1]
exec(compile(open(path).read(), path, "exec"), {"__name__": "student"})
print("survived")
"""


def run_as_student(tmp_path: Path, code: str) -> subprocess.CompletedProcess[str]:
    student = tmp_path / "student.py"
    student.write_text(code)
    command = [sys.executable, "-c", RUN, str(student)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, cwd=tmp_path)


@pytest.mark.parametrize(
    "code, what",
    [
        ("m = __import__('gc')\nm.get_objects()", "gc.get_objects"),
        ("m = __import__('gc')\nm.get_referrers(print)", "gc.get_referrers"),
        ("s = __import__('sys')\ns._current_frames()", "sys._current_frames"),
        ("s = __import__('sys')\ns._getframe()", "sys._getframe"),
        ("s = __import__('sys')\ns.settrace(lambda *a: None)", "sys.settrace"),
        ("try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = e.__traceback__\n    t.tb_frame", "tb_frame"),
        ("def g():\n    yield\ng().gi_frame", "gi_frame"),
        ("open('/proc/self/mem', 'rb')", "/proc/self/mem"),
        # red team, round 8: a process's files by a name relative to its folder, or through a link
        ("import os\nd = os.open('/proc/self', os.O_RDONLY)\nos.open('environ', os.O_RDONLY, dir_fd=d)", "/proc/self"),
        (
            "import os\nd = os.open('/', os.O_RDONLY)\nos.open('proc/1/environ', os.O_RDONLY, dir_fd=d)",
            "proc/1/environ",
        ),
        ("import os\nos.symlink('/proc/self/environ', 'innocent')", "os.symlink"),
        ("open('/dev/fd/0')", "/dev/fd/0"),
        # red team, round 9: /proc spelled with more slashes, which abspath keeps
        ("open('//proc/self/environ', 'rb')", "//proc/self/environ"),
        ("import os\nos.listdir('///proc/self/fd')", "///proc/self/fd"),
        ("open('//dev/fd/0')", "//dev/fd/0"),
        ("import os\nos.listdir('/proc')", "os.listdir('/proc')"),
        # red team, round 12: a limit of 0 open files, under which a probe's note cannot be written
        (
            "r = __import__('resource')\nr.setrlimit(r.RLIMIT_NOFILE, (0, r.getrlimit(r.RLIMIT_NOFILE)[1]))",
            "resource.setrlimit",
        ),
        ("import os\nos.listdir('/proc/self/fd')", "/proc/self/fd"),
        ("import os\nos.listdir('/proc/self/task/%d/fd' % os.getpid())", "/fd"),
        ("import os\nfd = os.open('.', os.O_RDONLY)\nos.listdir(fd)", "os.listdir() of an open folder"),
        ("import os\nfd = os.open('.', os.O_RDONLY)\nlist(os.fwalk(dir_fd=fd))", "os.scandir() of an open folder"),
        ("import os\nos.mkdir('.probes')\nos.chmod('.probes', 0o755)", "os.chmod"),
        ("import pathlib\npathlib.Path('.probes').mkdir()\npathlib.Path('.probes').chmod(0o755)", "os.chmod"),
        ("import subprocess\nsubprocess.run(['true'])", "subprocess.Popen"),
        ("import os\nos.system('true')", "os.system"),
        ("def f():\n    pass\nf.__code__ = (lambda: 1).__code__", "__code__"),
        # red team: a subclass of the probe's class whose _violation does nothing
        (
            "from grader.scenarios import probes\nt = probes.Traced(1)\n"
            "class Quiet(probes.Traced):\n    pass\nt.__class__ = Quiet",
            "changing the class",
        ),
        ("import os\nos.environ['PYTHONPATH'] = '.'", "PYTHONPATH"),  # a spawned child would import from it
        ("import os\nos.putenv('PYTHONWARNINGS', 'ignore::mine.W')", "PYTHONWARNINGS"),
        ("import os\nos.environ.pop('PYTHONSAFEPATH', None)\nos.unsetenv('PYTHONSAFEPATH')", "PYTHONSAFEPATH"),
        ("import os\nos.environ['LD_PRELOAD'] = './mine.so'", "LD_PRELOAD"),
        # which module a pickle may name, in every process the code starts
        ("import os\nos.environ['MPGRADE_MODULE'] = 'mpgrade_scenarios.probes'", "MPGRADE_MODULE"),
        ("import os\nos.environ.update(MPGRADE_QUEUES='')", "MPGRADE_QUEUES"),
        # code made at run time, run by the standard library for the student (red team, rounds 10, 11)
        ("import timeit\ntimeit.timeit('import gc', number=1)", "code made at run time that uses an import"),
        (
            "import dataclasses\nclass R:\n    pass\nR.__annotations__ = {'a)\"+str(sys.modules)#': int}\n"
            "repr(dataclasses.dataclass(R, init=False, eq=False)())",
            "code made at run time that uses modules",
        ),
        (
            "import multiprocessing.managers as m\nm.MakeProxyType('P', ['f(self): return __builtins__\\ndef g'])",
            "code made at run time that uses __builtins__",
        ),
    ],
)
def test_reaching_into_the_interpreter_ends_the_process(tmp_path: Path, code: str, what: str) -> None:
    done = run_as_student(tmp_path, code)
    assert done.returncode == guard.EXIT, done.stderr
    assert "survived" not in done.stdout
    assert "The grader stopped this process" in done.stderr and what in done.stderr
    assert "student.py:" in done.stderr  # where, in the student's file


def test_a_refusal_cannot_be_caught(tmp_path: Path) -> None:
    done = run_as_student(tmp_path, "try:\n    __import__('gc').get_objects()\nexcept BaseException:\n    pass\n")
    assert done.returncode == guard.EXIT


@pytest.mark.parametrize(
    "code",
    [
        "import warnings\nwarnings.warn('careful')",  # the standard library takes a frame for the student
        "import os\nos.environ['GREETING'] = 'hello'\ndel os.environ['GREETING']",  # not read as Python starts
        "import logging\nlogging.basicConfig()\nlogging.getLogger('x').warning('hello')",
        "import collections\nPoint = collections.namedtuple('Point', 'x y')",
        "import traceback\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    traceback.format_exc()",
        "import dataclasses\n@dataclasses.dataclass\nclass P:\n    x: int = 0\nP()",
        "import dataclasses\n@dataclasses.dataclass(frozen=True, order=True)\nclass P:\n    x: int = 0\nrepr(P())",
        "import typing\nclass P(typing.NamedTuple):\n    x: int = 0\nP()",
        "import multiprocessing\nwith multiprocessing.Manager() as manager:\n    manager.Queue().put(1)",
        "open('/proc/self/status').read()",
        "import os\nopen('mine', 'w').close()\nos.chmod('mine', 0o600)",
        "import multiprocessing\nwith multiprocessing.Pool(2) as pool:\n    pool.map(abs, [-1, -2])",
        "import multiprocessing as mp\np = mp.get_context('forkserver').Process(target=print)\np.start()\np.join()",
    ],
)
def test_ordinary_code_runs(tmp_path: Path, code: str) -> None:
    indented = "\n".join("    " + line for line in code.splitlines())
    done = run_as_student(tmp_path, f"if __name__ == 'student':\n{indented}")
    assert done.returncode == 0, done.stderr
    assert "survived" in done.stdout


def test_the_probes_classes_cannot_be_changed() -> None:
    counter_class = probes.WatchedCounter
    with pytest.raises(TypeError, match="cannot be changed"):
        counter_class.get_lock = lambda self: None  # type: ignore[method-assign]
    with pytest.raises(TypeError, match="cannot be changed"):
        del counter_class.get_lock
    assert "WatchedCounter" not in str(pytest.raises(TypeError, setattr, counter_class, "x", 1).value)


def test_a_logging_format_that_reads_attributes_raises_and_a_plain_one_works(tmp_path: Path) -> None:
    """logging's {} style formats with str.format, whose fields read attributes: the key of the
    probes was read out of their module with one made at run time (red team, rounds 6 to 8)."""
    code = (
        "import logging\n"
        "record = logging.makeLogRecord({'msg': 'hi', 'args': ()})\n"
        "print(logging.Formatter('{message}', style='{').format(record))\n"
        "make = type(logging.Formatter())\n"
        "make('{msg.__class__.__name__}', style='{').format(record)\n"
    )
    done = run_as_student(tmp_path, code)
    assert done.stdout.splitlines()[0] == "hi"
    assert "ValueError: a logging format whose fields read attributes or items" in done.stderr
