# mistake: uses a Pool's starmap (from the pool lesson) and returns the targets' results
# diagnosis: hands the tuples to a Pool
# line: 9
"""My solution to exercise 2."""
import multiprocessing


def run_concurrently(target, arg_tuples):
    with multiprocessing.Pool(len(arg_tuples) or 1) as pool:
        return pool.starmap(target, arg_tuples)
