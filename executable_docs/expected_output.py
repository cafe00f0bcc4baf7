"""Printed output written under the code as ``# >`` lines, and how it is compared.

A top-level statement that prints is followed by ``# >`` lines holding what it
printed (Pydantic's convention). They are comments, so the code a reader copies
still runs, and the tests compare them with what the statement really prints.

Numbers are compared at the precision the page shows: a printed number must
have as many digits as the expected one (the same count of decimals, in the
same notation), and may differ from it by one unit in its last shown digit plus
a relative 1e-5 (float32 arithmetic summed in another order on other CPUs). So
``0.1`` does not match a printed ``0.0001``, and a page that changes a library's
print precision fails. Integers and
all other text must match exactly, indentation included (inside a line, a run
of spaces counts as one space, since array printers pad columns to the widest number). An expected line that ends in
``...`` matches any printed line that starts with the text before it, for long
messages whose tail is not part of the documented behaviour.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# "# >", not Pydantic's "# >": ruff format (run on snippets/) rewrites "# >" to "# >".
OUTPUT_PREFIX = "# >"
ELLIPSIS = "..."
RELATIVE_TOLERANCE = 1e-5

_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?(?![\w.])|(?<![\w.])[-+]?(?:inf|nan)(?![\w.])"
)


# Array printers pad a column of numbers with a space where another row has a minus sign.
_PADDING = re.compile(r"([\[(]) ")


def is_output_line(text: str) -> bool:
    text = text.strip()
    return text == OUTPUT_PREFIX or text.startswith(OUTPUT_PREFIX + " ")


def output_text(text: str) -> str:
    """The printed text an ``# >`` line stands for."""
    body = text.lstrip()[len(OUTPUT_PREFIX) :]
    return body.removeprefix(" ")


def as_output_lines(printed: str, indent: str = "") -> list[str]:
    """``# >`` lines for printed text, as the refresh command writes them."""
    return [f"{indent}{OUTPUT_PREFIX} {line}".rstrip() for line in normalise(printed)]


def normalise(printed: str) -> list[str]:
    lines = [line.rstrip() for line in printed.rstrip("\n").split("\n")]
    return lines if printed.strip() else []


@dataclass(frozen=True)
class _Number:
    value: float
    last_place: float  # one unit in the last printed digit; 0 for integers
    digits: tuple[
        int, bool
    ]  # how it is written: decimals shown, and whether in e-notation

    @classmethod
    def parse(cls, token: str) -> _Number:
        mantissa, _, exponent = token.lower().partition("e")
        decimals = len(mantissa.partition(".")[2])
        digits = (decimals, bool(exponent))
        if (
            not decimals and not exponent
        ):  # "42", or "2." (an integral float, as arrays print it): exact
            return cls(float(token), 0.0, digits)
        return cls(float(token), 10.0 ** (int(exponent or 0) - decimals), digits)

    def matches(self, actual: _Number) -> bool:
        if math.isnan(self.value) or math.isnan(actual.value):
            return math.isnan(self.value) and math.isnan(actual.value)
        if math.isinf(self.value):
            return self.value == actual.value
        if self.digits != actual.digits:  # more or fewer digits than the page shows
            return False
        if self.last_place == 0.0:
            return self.value == actual.value
        allowed = self.last_place + RELATIVE_TOLERANCE * abs(self.value)
        return abs(self.value - actual.value) <= allowed


def _shape(line: str) -> tuple[str, list[_Number]]:
    indent = line[: len(line) - len(line.lstrip())]
    text = indent + " ".join(_NUMBER.sub("\0", line).split())
    text = _PADDING.sub(r"\1", text)
    return text, [_Number.parse(token) for token in _NUMBER.findall(line)]


def line_matches(expected: str, actual: str) -> bool:
    if expected.endswith(ELLIPSIS):
        prefix = expected.removesuffix(ELLIPSIS)
        return len(actual) > len(prefix) and line_matches(prefix, actual[: len(prefix)])
    expected_text, expected_numbers = _shape(expected)
    actual_text, actual_numbers = _shape(actual)
    return (
        expected_text == actual_text
        and len(expected_numbers) == len(actual_numbers)
        and all(e.matches(a) for e, a in zip(expected_numbers, actual_numbers))
    )


def outputs_match(expected: list[str], printed: str) -> bool:
    actual = normalise(printed)
    return len(expected) == len(actual) and all(
        line_matches(e, a) for e, a in zip(expected, actual)
    )


def describe_mismatch(expected: list[str], printed: str) -> str:
    """A line-by-line comparison that marks the lines that differ."""
    actual = normalise(printed)
    rows = []
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        same = want is not None and got is not None and line_matches(want, got)
        mark = " " if same else "!"
        if same:
            rows.append(f"  {mark} {got}")
        else:
            rows.append(f"  {mark} expected: {'(no line)' if want is None else want}")
            rows.append(f"  {mark} printed:  {'(no line)' if got is None else got}")
    return "\n".join(rows)
