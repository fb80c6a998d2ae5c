"""Exercise 2: run many processes at the same time.

Processes only help when they run *at the same time*. The loop

    for args in arg_tuples:
        p = Process(target=target, args=args)
        p.start()
        p.join()          # waits for this one before starting the next!

runs them one after another: it is as slow as no processes at all, and if
the processes need each other (one waits for another to arrive), it never
finishes. Start them *all* first, keeping each ``Process`` object in a list,
and only then ``join()`` each of them.

Return the exit codes in the order of ``arg_tuples`` (the order you started
them), not in the order the processes happened to finish.

Docs: https://docs.python.org/3/library/multiprocessing.html#the-process-class
"""

import multiprocessing


def run_concurrently(target, arg_tuples):
    """Start one process per tuple in ``arg_tuples``, all running at once.

    Each process runs ``target(*args)``. Wait for all of them, then return
    their exit codes as a list, in the order of ``arg_tuples``.
    """
    raise NotImplementedError("start every process first, then join them all")
