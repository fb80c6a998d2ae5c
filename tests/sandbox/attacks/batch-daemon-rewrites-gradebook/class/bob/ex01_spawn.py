"""Bob forgets to join: some checks pass, some do not."""
import multiprocessing


def run_in_process(target, args=()):
    worker = multiprocessing.Process(target=target, args=args)
    worker.start()
    return 0
