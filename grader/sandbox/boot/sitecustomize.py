"""Imported by every Python process of a sandboxed submission (the sandbox puts this folder on
PYTHONPATH): forked, spawned and forkserver children alike.

It registers ``faulthandler`` on SIGUSR1 with a file of the process's own, so that when a check
times out the grader can ask every process where it is blocked, even one stuck in C code. The
file is reopened after each fork, or a child would write into its parent's file. Coverage is
started here too, when the teacher's selfcheck asks for it.
"""

import os


def _register_stack_dumps(folder: str) -> None:
    import faulthandler
    import signal

    def register() -> None:
        dump = open(os.path.join(folder, f"{os.getpid()}.txt"), "w")  # noqa: SIM115 - lives as long as the process
        faulthandler.register(signal.SIGUSR1, file=dump, all_threads=True)
        globals()["_dump_file"] = dump

    register()
    os.register_at_fork(after_in_child=register)


if os.environ.get("MPGRADE_DUMPS"):
    _register_stack_dumps(os.environ["MPGRADE_DUMPS"])

if os.environ.get("COVERAGE_PROCESS_START"):
    import coverage

    coverage.process_startup()
