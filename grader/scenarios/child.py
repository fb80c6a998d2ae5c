"""The start of every Python process of a sandbox that runs the student's code.

The sandbox's Python runs without ``site`` (``-S``): nothing of the machine's installed packages
is imported into each new process, which makes every spawned child start in a fraction of the time.
So what a process needs besides the standard library is done here, and this module is how it gets
done in every process: the scenario process calls ``boot()`` itself and makes this module its
``__main__``, so that ``spawn`` and ``forkserver`` children import it first (as ``__mp_main__``);
forked children inherit what it did.

It registers ``faulthandler`` on SIGUSR1 with a file of the process's own, so that when a scenario
times out the runner can ask every process where it is blocked, even one stuck in C code (the file
is reopened after each fork, or a child would write into its parent's file); it installs the slow
producer's queues when a scenario asked for them; it starts coverage for the teacher's selfcheck;
it makes ``os.cpu_count()`` give the same number on every machine (``--cpus``, 4 by default),
so that ``Pool()`` and every verdict are the same whatever the grading machine; it puts back the
``exit()`` and ``quit()`` that ``site`` gives every program; it makes every unpickler the one that
refuses what a pickle must not name (``unpickling``); and last it installs the run-time reach gate
(``guard``).
"""

import os

DUMPS = "MPGRADE_DUMPS"
CPUS = "MPGRADE_CPUS"


def install_dumps(folder: str, now: bool = True) -> None:
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


def set_cores(count: int) -> None:
    """Make ``os.cpu_count()`` (and 3.13's ``os.process_cpu_count()``) say ``count`` in this process;
    the replacement still pickles as ``os.cpu_count``, should the student's code send it to a pool."""
    for name in ("cpu_count", "process_cpu_count"):
        if hasattr(os, name):

            def cores() -> int:
                return count

            cores.__name__ = cores.__qualname__ = name
            cores.__module__ = "os"
            setattr(os, name, cores)


def boot(guarded: bool = True) -> None:
    import _sitebuiltins
    import builtins

    builtins.exit = _sitebuiltins.Quitter("exit", "Ctrl-D (i.e. EOF)")
    builtins.quit = _sitebuiltins.Quitter("quit", "Ctrl-D (i.e. EOF)")
    from mpgrade_scenarios import unpickling

    unpickling.install()  # before any pickle of another process is read
    if os.environ.get(CPUS, "").isdigit():  # the same machine everywhere: Pool() and verdicts do not vary
        set_cores(int(os.environ[CPUS]))
    if os.environ.get("MPGRADE_QUEUES"):  # queues that answer as a slow producer would (a scenario asked)
        from mpgrade_scenarios import adversary

        adversary.install()
    if os.environ.get("COVERAGE_PROCESS_START"):
        import coverage

        coverage.process_startup()
    if guarded:  # last: what follows is the student's code (the scenario process guards itself later)
        from mpgrade_scenarios import guard

        guard.install()


if __name__ == "__mp_main__":  # a spawned or forkserver child, importing its parent's __main__
    if os.environ.get(DUMPS):
        install_dumps(os.environ[DUMPS])
    boot()
