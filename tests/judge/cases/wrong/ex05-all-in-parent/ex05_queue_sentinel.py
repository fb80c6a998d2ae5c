# mistake: run_pipeline calls producer and consumer itself, in the parent, instead of starting processes
# caught-by: pipeline_uses_processes
# diagnosis: calls producer\(\) itself
# line: 34
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``."""

import multiprocessing

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)
    for _ in range(consumers):
        q.put(SENTINEL)


def consumer(q, out):
    """Move items from ``q`` to ``out`` until ``SENTINEL`` arrives."""
    while True:
        item = q.get()
        if item is SENTINEL:
            break
        out.put(item)


def run_pipeline(items, consumers=1):
    """Send ``items`` through one producer and ``consumers`` consumers."""
    items = list(items)
    q = multiprocessing.Queue()
    out = multiprocessing.Queue()
    producer(q, items, consumers)
    for _ in range(consumers):
        consumer(q, out)
    return [out.get() for _ in items]
