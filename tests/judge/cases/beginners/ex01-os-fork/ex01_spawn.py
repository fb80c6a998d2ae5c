# mistake: forks by hand with os.fork, which spawn and forkserver cannot do
# diagnosis: forks by hand with os\.fork\(\)
# line: 9
"""My solution to exercise 1."""
import os


def run_in_process(target, args=()):
    pid = os.fork()
    if pid == 0:
        target(*args)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
