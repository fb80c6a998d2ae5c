"""Stage 2 of the pipeline: the sandbox, seen from the grader's side.

``isolation`` picks how strongly a grading is walled off (namespaces, a user id of its own, or a
process tree) and builds the command that starts the runner; ``run`` drives one sandbox (requests
out, reports in, limits watched, every process killed at the end); ``tree`` finds and kills the
sandbox's processes from the host; ``stacks`` describes where each process was when time ran out.
What runs inside the sandbox is ``grader.scenarios``.
"""
