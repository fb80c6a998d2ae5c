"""The side of the sandbox that runs inside the submission's process tree.

``boot/sitecustomize.py`` is imported by every Python process of the tree, ``plugin`` is the
pytest plugin that records results and handles timeouts, ``stacks`` turns stack dumps into
"where was each process blocked", ``tree`` finds and kills processes (also used from outside).
"""
