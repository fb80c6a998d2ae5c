# mistake: polls is_alive() until a deadline of its own (0.3 s), like join(timeout=0.3), then returns whatever exitcode is
# caught-by: runs_in_child_process passes_args exit_code_success exit_code_from_sys_exit exit_code_after_exception waits_for_child
# diagnosis: time\.sleep\(\) instead of join\(\)
# line: 16
"""Exercise 1: run a function in a new process."""

import multiprocessing
import time


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    deadline = time.monotonic() + 0.3
    while process.is_alive() and time.monotonic() < deadline:
        time.sleep(0.01)
    return process.exitcode
