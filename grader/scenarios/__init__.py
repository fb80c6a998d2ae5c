"""What runs next to the student's code, inside the sandbox: the runner, the scenarios and probes.

This package is copied into each sandbox and imported there under the name ``mpgrade_scenarios``;
nothing else of the grader is. So it imports only the standard library and its own modules
(relatively), and it holds no expectation, verdict, message or hint: a scenario calls the
student's functions with the probes and reports what it observed, as plain data. The judge, outside
the sandbox, decides what the observations mean (``grader.judge``).
"""
