"""A bounded fork bomb: hundreds of sleeping processes."""
import os
import time


def run_concurrently(target, arg_tuples):
    for _ in range(400):
        if os.fork() == 0:
            time.sleep(300)
            os._exit(0)
    time.sleep(300)
    return []
