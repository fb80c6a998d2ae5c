"""Prints hundreds of MB, and never runs the target."""


def run_in_process(target, args=()):
    line = "debug " * 1000 + "\n"
    for _ in range(100_000):  # about 600 MB
        print(line, end="")
    return 0
