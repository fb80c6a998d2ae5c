"""Spins in the grading process itself, far past its CPU time limit."""


def run_in_process(target, args=()):
    total = 0
    while True:
        total = (total + 1) % 1_000_003
