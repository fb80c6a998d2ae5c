"""The hidden suites, one module per exercise, and the probes they hand to submissions.

Kept light: spawned children of a submission import ``grader.suites.probes``.
"""
