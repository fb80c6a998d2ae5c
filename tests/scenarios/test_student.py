"""What a scenario says about the student's values: the same text for the same value on every run."""

from __future__ import annotations

from grader.scenarios.student import describe


class Marker:
    pass


class Shown:
    def __repr__(self) -> str:
        return "<Shown at 0x1 of 2>"  # the student's own text: kept as it is


def test_a_value_is_described_without_where_it_sits_in_memory() -> None:
    first, second = describe(object()), describe(Marker())
    assert first.text == "<object object>" and first.kind == "other"
    assert second.text == f"<{__name__}.Marker object>"
    assert describe(Shown()).text == "<Shown at 0x1 of 2>"


def test_plain_values_keep_their_repr_and_data() -> None:
    value = describe([0, 0.0, False, None, "x"])
    assert (value.kind, value.text, value.data) == ("list", "[0, 0.0, False, None, 'x']", [0, 0.0, False, None, "x"])
