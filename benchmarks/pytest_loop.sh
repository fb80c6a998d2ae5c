#!/bin/bash
# The baseline a teacher would otherwise write: plain `pytest --timeout` on the previous kit's
# suites (a715309, grader/suites/), one exercise file after another, for one student's folder.
# The benchmark runs it once per student, student after student, and looks in /proc between two.
#
#   pytest_loop.sh STUDENT_DIR
#
# From the environment: PYTHON (a Python with the previous kit installed, runnable by LOOP_UID),
# SUITES (its grader/suites folder), TIMEOUT (pytest-timeout's seconds per test), WORK (a folder
# LOOP_UID may write), LOOP_UID (the user the runs are started as), NPROC (the most processes that
# user may have), BACKSTOP (seconds after which a run that never ends is killed).
#
# Two things a bare loop does not have, both for the shared machine and not for the figures: the
# runs are started as a user of their own with at most NPROC processes (a fork bomb would
# otherwise take the machine's process table), and `timeout -s KILL` ends a run that catches
# pytest-timeout's exception and never ends, with its process group, as a teacher's Ctrl-C would
# (a bare loop would wait forever there). Each run prints: exercise, exit code, seconds.
set -u
cd "$1" || exit 2
student=$PWD
for file in ex0[1-5]_*.py; do
    [ -e "$file" ] || continue
    exercise=${file%%_*}
    rm -rf "$WORK/tmp" && mkdir -p "$WORK/tmp" && chown "$LOOP_UID:$LOOP_UID" "$WORK/tmp"
    started=$SECONDS
    (
        cd "$WORK" &&
        timeout -s KILL "$BACKSTOP" prlimit --nproc="$NPROC" \
            setpriv --reuid="$LOOP_UID" --regid="$LOOP_UID" --clear-groups \
            env -i PATH=/usr/bin:/bin HOME="$WORK" TMPDIR="$WORK/tmp" LANG=C.UTF-8 \
            MPGRADE_SUBMISSION="$student" PYTHONPATH="$student" \
            "$PYTHON" -m pytest "$SUITES/$exercise.py" -p grader.suites.framework --timeout "$TIMEOUT" \
            -q -p no:cacheprovider -c /dev/null --rootdir "$WORK" </dev/null >"$WORK/$exercise.log" 2>&1
    )
    code=$?
    echo "$exercise $code $((SECONDS - started))"
done
