import multiprocessing


def run_in_process(target):
    process = multiprocessing.Process(target=target)
    process.start()
    process.join()
    return process.exitcode
