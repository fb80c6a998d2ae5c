# mistake: submits the exercise file untouched: no sentinel, the consumer stops when q.empty(), run_pipeline joins before reading
# caught-by: producer_sentinels consumer_waits_for_slow_producer consumer_keeps_falsy_items consumer_stops_at_sentinel pipeline_many_items
# diagnosis: never puts the SENTINEL
# line: 39
"""Exercise 5: stop a consumer with a sentinel, not with ``q.empty()``.

A *producer* process puts items on a ``multiprocessing.Queue``; a *consumer*
process takes them off. The consumer below stops as soon as the queue looks
empty. That is a race: the queue is empty whenever the consumer is faster
than the producer, even though more items are on their way, so it stops
early and loses them. (The docs say ``empty()`` is "not reliable".)

The fix is a *sentinel*: a special value that the producer puts after its
last item, meaning "no more items". The consumer blocks in ``q.get()`` and
stops only when it receives the sentinel:

* test for it with ``item is SENTINEL``; a truthiness test such as
  ``while item:`` stops at the first ``0`` or ``""``;
* the sentinel is a message to the consumer: do not pass it on to ``out``;
* each consumer stops at the first sentinel it takes, so with several
  consumers the producer must put *one sentinel per consumer*;
* do not guess with ``q.get(timeout=...)``: a slow producer looks finished.

One more trap: a process that has put items on a queue does not exit until
they have been read. If ``run_pipeline`` joins a consumer before reading
the ``out`` queue, and ``out`` holds more than the pipe can buffer, both
wait for each other forever. Read the results first, then join.

Docs: https://docs.python.org/3/library/multiprocessing.html#pipes-and-queues
and "Joining processes that use queues" in
https://docs.python.org/3/library/multiprocessing.html#programming-guidelines
"""

import multiprocessing

SENTINEL = None  # put after the last item; no real item is ever None


def producer(q, items, consumers=1):
    """Put every item on ``q``, then one ``SENTINEL`` per consumer."""
    for item in items:
        q.put(item)


def consumer(q, out):
    """Move items from ``q`` to the queue ``out`` until ``SENTINEL`` arrives.

    Do not put the sentinel itself on ``out``.
    """
    # RACE: the queue looks empty whenever the producer is slower than the
    # consumer, and this loop then ends before the last item has arrived.
    while not q.empty():
        out.put(q.get())


def run_pipeline(items, consumers=1):
    """Send ``items`` through one producer and ``consumers`` consumer processes.

    Return every item the consumers passed on, as a list (in order when
    there is a single consumer).
    """
    q = multiprocessing.Queue()
    out = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=producer, args=(q, items, consumers))]
    workers += [multiprocessing.Process(target=consumer, args=(q, out)) for _ in range(consumers)]
    for worker in workers:
        worker.start()
    # TRAP: joining before reading ``out``; and ``out.empty()`` races too.
    for worker in workers:
        worker.join()
    results = []
    while not out.empty():
        results.append(out.get())
    return results
