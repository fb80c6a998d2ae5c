"""Rewrites the grader's scenario module before the runner imports it: from then on the runner
itself forks scenarios that report whatever this file wants."""
import sys
from pathlib import Path

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

PATCH = '''


def _forged(student, params, tools):
    code = 1 if params.raises else (params.code or 0)
    ran = TargetRun(os.getpid() + 1, tuple(repr(a) for a in params.args), True)
    return Run(Value("int", str(code), code), os.getpid(), (ran,), (), (), True, ())


run.__code__ = _forged.__code__
'''

package = sys.modules.get("mpgrade_scenarios")
if package is not None:
    for folder in getattr(package, "__path__", []):
        path = Path(folder, "ex01.py")
        try:
            if "_forged" not in path.read_text():
                with open(path, "a") as module:
                    module.write(PATCH)
        except OSError:
            pass


def run_in_process(target, args=()):
    raise NotImplementedError
