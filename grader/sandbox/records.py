"""The harness's records, signed so that the grader can tell them from anything else in the file.

The submission's code can read the results file and write to it, so a record carries no secret:
it carries an HMAC of its content under a key that only the harness and the grader know (it
reaches the harness on a pipe, closed before any student code runs).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from typing import Any


def sign(key: str, record: dict[str, Any]) -> str:
    """One line of the results file."""
    body = json.dumps(record, sort_keys=True)
    return json.dumps({"body": body, "mac": _mac(key, body)}) + "\n"


def verify(key: str, line: str) -> dict[str, Any] | None:
    """The record on ``line`` if the harness wrote it, else None."""
    try:
        signed = json.loads(line)
        body, mac = signed["body"], signed["mac"]
        if not isinstance(body, str) or not isinstance(mac, str) or not hmac.compare_digest(mac, _mac(key, body)):
            return None
        record = json.loads(body)
    except (ValueError, KeyError, TypeError):
        return None
    return record if isinstance(record, dict) else None


def _mac(key: str, body: str) -> str:
    return hmac.new(key.encode(), body.encode(), hashlib.sha256).hexdigest()
