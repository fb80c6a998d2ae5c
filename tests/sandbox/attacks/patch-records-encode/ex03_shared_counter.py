"""Does no counting: patches the function that encodes the scenario's report, so that whatever
happened, the report says the counter was right, locked and shared by every process."""
import dataclasses
import os
import sys

try:  # a name the attack catalogue's test finds this file's processes by, whatever the grader tracks
    with open("/proc/self/comm", "w") as _comm:
        _comm.write("mpgrade-attack")
except OSError:
    pass

records = sys.modules.get("mpgrade_scenarios.records")
scenarios = sys.modules.get("mpgrade_scenarios.ex03")
student = sys.modules.get("mpgrade_scenarios.student")


def params():
    frame = sys._getframe()
    while frame is not None:
        request = frame.f_locals.get("request")
        if hasattr(request, "params"):
            return request.params
        frame = frame.f_back
    return {}


def forged(report):
    given = params()
    if report.scenario == "ex03.increment":
        seen = scenarios.Incremented(given["times"], (), ())
    else:
        pids = tuple(os.getpid() + 1 + i for i in range(given["processes"]))
        total = student.describe(given["processes"] * given["times"])
        seen = scenarios.Counted(total, 1, (), False, pids, pids, (), (), (), ())
    return dataclasses.replace(
        report, outcome=records.Outcome.RETURNED, phase=records.Phase.CALL, raised=None, observed=real_encode(seen)
    )


if records is not None and scenarios is not None:
    real_encode = records.encode

    def encode(value):
        if isinstance(value, records.Report) and value.scenario.startswith("ex03."):
            if value.outcome is not records.Outcome.RETURNED:
                value = forged(value)
        return real_encode(value)

    records.encode = encode


def increment(counter, times):
    raise NotImplementedError


def parallel_count(processes, times):
    raise NotImplementedError
