# mistake: uses a ProcessPoolExecutor (from a tutorial) and returns the future's result
# diagnosis: hands the target to a ProcessPoolExecutor
# line: 9
"""My solution to exercise 1."""
from concurrent.futures import ProcessPoolExecutor


def run_in_process(target, args=()):
    with ProcessPoolExecutor(max_workers=1) as executor:
        future = executor.submit(target, *args)
    return future.result() or 0
