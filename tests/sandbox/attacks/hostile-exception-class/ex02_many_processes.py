"""An exception that fights back when the grader tries to describe it."""
try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


class Meta(type):
    @property
    def __name__(cls):
        raise KeyboardInterrupt


class Boom(Exception, metaclass=Meta):
    def __str__(self):
        raise SystemExit(0)


Boom.__module__ = 42


def run_concurrently(target, arg_tuples):
    raise Boom()
