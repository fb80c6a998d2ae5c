"""Each process holds 300 MB: under the per-process limit, far over the tree's limit (case.toml)."""
import multiprocessing
import time


def hog(target, args):
    block = bytearray(300 * 1024 * 1024)
    block[::4096] = b"x" * len(block[::4096])  # touch every page: resident, not just reserved
    time.sleep(60)


def run_concurrently(target, arg_tuples):
    processes = [multiprocessing.Process(target=hog, args=(target, args)) for args in arg_tuples]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return [process.exitcode for process in processes]
