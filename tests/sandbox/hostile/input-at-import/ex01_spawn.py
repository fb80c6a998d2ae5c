import multiprocessing

name = input("Your name? ")


def run_in_process(target, args=()):
    process = multiprocessing.Process(target=target, args=args)
    process.start()
    process.join()
    return process.exitcode
