"""The student's module as a scenario uses it: the functions the exercise asks for, checked to
exist and to take the exercise's parameters, and values described as plain data."""

from __future__ import annotations

import inspect
import re
import reprlib
from types import ModuleType
from typing import Any

from .records import Missing, Unusable, Value

TEXT = reprlib.Repr()
TEXT.maxstring, TEXT.maxother, TEXT.maxlist, TEXT.maxtuple, TEXT.maxlevel = 120, 120, 40, 40, 4


class UnusableError(Exception):
    """The scenario cannot go on: the module lacks what the exercise asks for."""

    def __init__(self, record: Unusable) -> None:
        super().__init__(record.name)
        self.record = record


class Student:
    def __init__(self, module: ModuleType) -> None:
        self.module = module

    def function(self, name: str, *params: str) -> Any:
        """The function ``name``, checked to accept ``params`` (e.g. ``"args=()"``) by position."""
        wanted = f"{name}({', '.join(params)})"
        found = getattr(self.module, name, None)
        if found is None:
            raise UnusableError(Unusable(Missing.FUNCTION, name, wanted))
        if not callable(found):
            raise UnusableError(Unusable(Missing.NOT_CALLABLE, name, wanted, type(found).__name__))
        required = sum("=" not in param for param in params)
        try:
            signature = inspect.signature(found)
        except (TypeError, ValueError):  # builtins without a signature: let the call itself tell
            return found
        for count in sorted({required, len(params)}):
            try:
                signature.bind(*[None] * count)
            except TypeError:
                raise UnusableError(Unusable(Missing.SIGNATURE, name, wanted, f"{name}{signature}")) from None
        return found

    def constant(self, name: str) -> Any:
        if not hasattr(self.module, name):
            raise UnusableError(Unusable(Missing.CONSTANT, name, name))
        return getattr(self.module, name)


PLAIN = (int, float, str, bool, type(None))
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+(?=>)")  #: where an object sits in memory: different on every run


def describe(value: Any, depth: int = 0) -> Value:
    """``value`` as data; never raises, whatever the value's class does."""
    kind = _kind(value)
    try:
        text = ADDRESS.sub("", TEXT.repr(value))
    except Exception:  # noqa: BLE001 - a student's __repr__ may raise anything
        text = f"<{_type_name(value)} object>"
    return Value(kind, text, _data(value, depth), _type_name(value) if kind == "other" else "")


def _kind(value: Any) -> str:
    exact = type(value)
    if exact is type(None):
        return "none"
    for kind in (bool, int, float, str, list, tuple, dict):
        if exact is kind:
            return kind.__name__
    return "other"


def _data(value: Any, depth: int) -> Any:
    plain = _plain(value, depth)
    return None if plain is _OPAQUE else plain


def _plain(value: Any, depth: int) -> Any:
    exact = type(value)
    if exact in PLAIN:
        if exact is str:
            return value[:2000]
        if exact is float and value != value:  # NaN is not JSON
            return _OPAQUE
        return value
    if exact in (list, tuple) and depth < 3 and len(value) <= 10_000:
        items = [_plain(item, depth + 1) for item in value]
        return _OPAQUE if any(item is _OPAQUE for item in items) else items
    return _OPAQUE


_OPAQUE = object()  # a value that is not plain data: it makes whatever holds it opaque too


def _type_name(value: Any) -> str:
    try:
        return str(type(value).__name__)
    except Exception:  # noqa: BLE001
        return "?"
