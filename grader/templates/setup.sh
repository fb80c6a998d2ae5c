#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image: install the kit.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
PYTHON="${PYTHON:-python3}"
"$PYTHON" -m pip install --quiet "$ROOT/source/kit"
