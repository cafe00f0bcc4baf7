"""Printed output written under the code as ``# >`` lines, and how it is compared.

A top-level statement that prints is followed by ``# >`` lines holding what it
printed (Pydantic's convention). They are comments, so the code a reader copies
still runs, and the tests compare them with what the statement really prints.

Numbers are compared at the precision the page shows: a printed number must
have as many digits as the expected one (the same count of decimals, in the
same notation), and may differ from it by one unit in its last shown digit plus
a relative 1e-5 (float32 arithmetic summed in another order on other CPUs). So
``0.1`` does not match a printed ``0.0001``, and a page that changes a library's
print precision fails. The kind of a number is part of what is shown: an integer
(``1``), a float (``1.``, ``1e-05``, ``nan``) and an imaginary part (``2.j``) never
match one another, so a changed dtype fails (``True`` and ``False`` are text).
Integers and all other text must match exactly, indentation included (inside a line,
a run of spaces counts as one space, since array printers pad columns to the widest
number). An expected line that ends in
``...`` matches any printed line that starts with the text before it, for long
messages whose tail is not part of the documented behaviour.

``compare`` is the one comparison of every runner (the page tests, the reader's
runs, the release matrix): it returns an ``OutputDifference`` whose ``problem``,
``describe()`` and ``first()`` are the one wording of a difference.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

# "# >", not Pydantic's "#>": ruff format (run on snippets/) rewrites "#>" to "# >".
OUTPUT_PREFIX = "# >"
ELLIPSIS = "..."
RELATIVE_TOLERANCE = 1e-5

# A number as Python, numpy and torch print one: an integer, a float (a point or an
# exponent: "2.", "1e-05", "inf", "nan") or an imaginary part ("2.j", "3j", "nanj").
_NUMBER = re.compile(
    r"(?<![\w.])[-+]?(?:(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|inf|nan)[jJ]?"
    r"(?![\w.])"
)
INTEGER, FLOAT, COMPLEX = "integer", "float", "complex"


# Array printers pad a column of numbers with a space where another row has a minus.
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
    kind: str  # INTEGER, FLOAT or COMPLEX (an imaginary part): part of what is shown
    last_place: float  # one unit in the last printed digit; 0 for integers
    decimals: int  # how many digits after the point it shows
    e_notation: bool

    @classmethod
    def parse(cls, token: str) -> _Number:
        text = token.lower()
        if text.endswith("j"):
            kind, text = COMPLEX, text.removesuffix("j")
        elif "." in text or "e" in text or text.lstrip("+-") in ("inf", "nan"):
            kind = FLOAT
        else:
            kind = INTEGER
        mantissa, _, exponent = text.partition("e")
        decimals = len(mantissa.partition(".")[2])
        if not decimals and not exponent:
            # "42", or "2." (an integral float, as arrays print it): exact
            return cls(float(text), kind, 0.0, decimals, False)
        place = 10.0 ** (int(exponent or 0) - decimals)
        return cls(float(text), kind, place, decimals, bool(exponent))

    def matches(self, actual: _Number) -> bool:
        if self.kind != actual.kind:  # "1." is not "1": a dtype change shows in print
            return False
        if math.isnan(self.value) or math.isnan(actual.value):
            return math.isnan(self.value) and math.isnan(actual.value)
        if math.isinf(self.value):
            return self.value == actual.value
        if (self.decimals, self.e_notation) != (actual.decimals, actual.e_notation):
            return False  # more or fewer digits than shown, or another notation
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


@dataclass(frozen=True)
class OutputDifference:
    """How a statement's printed output differs from the ``# >`` lines under it.

    ``kind`` is one of ``UNSHOWN`` (it prints, no ``# >`` lines follow), ``MISSING``
    (``# >`` lines, nothing printed) or ``DIFFERS``; ``rows`` pair each expected line
    with the printed one (None: no such line) and say whether they match.
    """

    kind: str
    rows: tuple[tuple[str | None, str | None, bool], ...]

    @property
    def problem(self) -> str:
        """The one-line statement of the problem, the same in every runner."""
        return PROBLEMS[self.kind]

    def describe(self) -> str:
        """Line by line, ``!`` marking the lines that differ."""
        if self.kind == UNSHOWN:
            shown = as_output_lines("\n".join(got or "" for _, got, _ in self.rows))
            return "It printed:\n" + "\n".join(shown)
        out = []
        for want, got, same in self.rows:
            if same:
                out.append(f"    {got}")
            else:
                out.append(f"  ! expected: {'(no line)' if want is None else want}")
                out.append(f"  ! printed:  {'(no line)' if got is None else got}")
        return "\n".join(out)

    def first(self, width: int = 70) -> str:
        """The first line that differs, both sides shortened: for one-line records."""
        want, got = next((w, g) for w, g, same in self.rows if not same)
        want, got = want or "(no line)", got or "(no line)"
        return f"shown {want[:width]!r}, printed {got[:width]!r}"


UNSHOWN, MISSING, DIFFERS = "unshown", "missing", "differs"
PROBLEMS = {
    UNSHOWN: "the statement prints, but no '# >' lines follow it to show and check "
    "the output",
    MISSING: "expected output with no print to match: the statement printed nothing",
    DIFFERS: "printed output differs from the '# >' lines (! marks a difference)",
}


def compare(expected: list[str] | None, printed: str) -> OutputDifference | None:
    """None when ``printed`` is what the ``# >`` lines ``expected`` (or None) show."""
    actual = normalise(printed)
    if expected is None:
        if not actual:
            return None
        return OutputDifference(UNSHOWN, tuple((None, got, False) for got in actual))
    rows = []
    for index in range(max(len(expected), len(actual))):
        want = expected[index] if index < len(expected) else None
        got = actual[index] if index < len(actual) else None
        same = want is not None and got is not None and line_matches(want, got)
        rows.append((want, got, same))
    if all(same for _, _, same in rows):
        return None
    return OutputDifference(MISSING if not actual else DIFFERS, tuple(rows))


def outputs_match(expected: list[str], printed: str) -> bool:
    return compare(expected, printed) is None


def describe_mismatch(expected: list[str], printed: str) -> str:
    """A line-by-line comparison that marks the lines that differ."""
    difference = compare(expected, printed)
    return difference.describe() if difference else ""
