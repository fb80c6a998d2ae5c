"""Exercise 1: run a function in a new process.

A Python program starts as one process. ``multiprocessing.Process`` starts
another one: a separate interpreter with its own memory, that runs the
function you hand it as ``target``. The parent goes on at once; ``start()``
does not wait. To know how the child ended you must *wait* for it with
``join()`` and then read ``exitcode``:

* ``0`` when the target returned normally,
* the number passed to ``sys.exit(n)`` when the target called it,
* ``1`` when the target raised an exception it did not catch.

Two mistakes are common. Calling ``target(*args)`` yourself runs it in the
*parent* (no new process at all), and ``Process(target=target(*args))`` does
the same thing by accident: it calls the function and hands its *result* to
``Process``. Forgetting ``join()`` returns before the child has finished, so
its exit code is still ``None``.

Your code must also work when processes are *spawned* (the default on
macOS and Windows) rather than *forked*: then the child imports your module
afresh, so never start processes at the top level of the file.

Docs: https://docs.python.org/3/library/multiprocessing.html#the-process-class
"""

import multiprocessing


def run_in_process(target, args=()):
    """Run ``target(*args)`` in a new child process and wait for it to end.

    Return the child's exit code: 0 on success, the code it passed to
    ``sys.exit``, or 1 if it raised an uncaught exception.
    """
    raise NotImplementedError("start a multiprocessing.Process, join it, return its exitcode")
