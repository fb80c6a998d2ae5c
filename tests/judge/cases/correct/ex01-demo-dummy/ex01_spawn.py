# variant: the reference solution with a __main__ demo that runs a function named dummy (red team, round 17: it had lost points)
"""Exercise 1: run a function in a new process."""

import multiprocessing


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode


def dummy(n):
    print("child got", n)


if __name__ == "__main__":
    print("exit code:", run_in_process(dummy, (42,)))
