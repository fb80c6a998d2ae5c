#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image: install the kit into a
# virtual environment of its own. Ubuntu 24.04's Python refuses a system-wide `pip install`
# (PEP 668: "externally-managed-environment"); a virtual environment works on 22.04 and 24.04 alike.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${PYTHON:-python3}"
VENV="$ROOT/mpgrade-venv"
if ! "$PYTHON" -c 'import ensurepip, venv' >/dev/null 2>&1; then
    # Ubuntu's python3 has no venv module until python3-venv is installed
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3 python3-venv
fi
"$PYTHON" -m venv "$VENV"
"$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$ROOT/source/kit"
"$VENV/bin/grade" --version
