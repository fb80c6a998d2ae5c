# mistake: takes the lazy imap results inside the with block and reads them after it
# diagnosis: reads the pool's results after its .with. block has ended
# line: 11
"""My solution to exercise 4."""
import multiprocessing


def pool_map(func, items, processes=4):
    with multiprocessing.Pool(processes) as pool:
        results = pool.imap(func, items)
    return list(results)


def square(n):
    return n * n


def parallel_squares(numbers, processes=4):
    return pool_map(square, numbers, processes)
