"""Makes the grader wait for stacks that never come: its dump files become FIFOs and links."""
import multiprocessing
import os
import time

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def first_time():
    """Only the first scenario of a grading hangs (the sandbox's TMPDIR lasts the whole grading):
    one time-out shows the attack, more would only make the test slower."""
    flag = os.path.join(os.environ.get("TMPDIR", "/tmp"), "mpgrade-attack-once")
    if os.path.exists(flag):
        return False
    open(flag, "w").close()
    return True


def run_in_process(target, args=()):
    if not first_time():
        raise NotImplementedError
    workers = [multiprocessing.Process(target=time.sleep, args=(60,)) for _ in range(2)]
    for worker in workers:
        worker.start()
    dumps = os.environ.get("MPGRADE_DUMPS", "")
    replacements = [os.mkfifo, lambda path: os.symlink("/dev/zero", path), lambda path: os.symlink("/etc/shadow", path)]
    for pid, replace in zip([os.getpid(), *(w.pid for w in workers)], replacements):
        path = os.path.join(dumps, f"{pid}.txt")
        try:
            os.unlink(path)
            replace(path)
        except OSError:
            pass
    time.sleep(60)
