"""Starts a daemon the classic way (fork, setsid, fork) that outlives everything, and with an
empty environment, then forgets to run the target."""
import os


def run_in_process(target, args=()):
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            os.execve("/bin/sleep", ["sleep", "7301"], {})
        os._exit(0)
    os.waitpid(pid, 0)
    return 0
