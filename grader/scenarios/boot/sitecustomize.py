"""Imported by every Python process of a sandbox (its folder is first on PYTHONPATH): the runner,
the scenario processes, and their forked, spawned and forkserver children alike.

It registers ``faulthandler`` on SIGUSR1 with a file of the process's own, so that when a scenario
times out the runner can ask every process where it is blocked, even one stuck in C code. The file
is reopened after each fork, or a child would write into its parent's file. Coverage is started
here too, when the teacher's selfcheck asks for it.
"""

import os


def install(folder: str, now: bool = True) -> None:
    """Register the stack dump in this process (``now``) and in every child it forks."""
    import faulthandler
    import signal

    def register() -> None:
        try:
            dump = open(os.path.join(folder, f"{os.getpid()}.txt"), "w")  # noqa: SIM115 - lives as long as the process
        except OSError:
            return
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=True)
        globals()["_dump_file"] = dump

    if now:
        register()
    os.register_at_fork(after_in_child=register)


# the runner sets MPGRADE_DUMPS for the processes it starts, and installs the hook itself
if os.environ.get("MPGRADE_DUMPS"):
    install(os.environ["MPGRADE_DUMPS"])

if os.environ.get("MPGRADE_QUEUES"):  # queues that answer as a slow producer would (a scenario asked)
    from mpgrade_scenarios import adversary

    adversary.install()

if os.environ.get("COVERAGE_PROCESS_START"):
    import coverage

    coverage.process_startup()
