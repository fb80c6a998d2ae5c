"""Raises exceptions dressed as the outcomes of test frameworks, out of reach of `except Exception`."""
try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

SENTINEL = None


class SkipTest(BaseException):
    pass


class XFailed(BaseException):
    pass


class Exit(BaseException):
    def __init__(self, msg="", returncode=0):
        super().__init__(msg)
        self.returncode = returncode


SkipTest.__module__ = "unittest.case"
XFailed.__module__ = Exit.__module__ = "_pytest.outcomes"


def producer(q, items, consumers=1):
    raise SkipTest("not on this machine")


def consumer(q, out):
    raise XFailed("known to fail")


def run_pipeline(items, consumers=1):
    raise Exit("all checks passed", returncode=0)
