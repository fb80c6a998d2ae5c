"""Prints hundreds of MB while it works."""
import multiprocessing


def run_in_process(target, args=()):
    line = "debug " * 1000 + "\n"
    for _ in range(100_000):  # about 600 MB
        print(line, end="")
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode
