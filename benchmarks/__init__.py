"""The benchmark of the kit: `.venv/bin/python -m benchmarks [--quick]` (README: Benchmark).

- ``classes``: a mixed class of any size; ``measure``: the commands it starts and times;
- ``stats``: spreads, time in checks, linear fits; ``report``: the Markdown table; ``plots``: the PNGs;
- ``model``: the results, as dataclasses written to JSON; ``pytest_loop.sh``: the plain-pytest baseline.
"""
