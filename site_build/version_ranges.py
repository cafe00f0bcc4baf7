"""On which torch releases each asserted behaviour holds, as measured by `make matrix`.

``matrix/results/torch-X.json`` (one file per release, written by ``matrix/driver.py``)
holds, per behaviour of the Specification page, its status on that release: ``held``,
``failed`` (the assertion itself failed), ``raised`` / ``not_reached`` (the code around
it raised), ``after_error`` (it ran after an earlier exception on the page, so it is not
counted), ``not_applicable`` (its section declares a newer release). This module turns a
behaviour's column into the words the Specification page shows, e.g. "torch 2.0 to 2.14",
"since torch 2.7": nothing here is typed by hand.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

RESULTS = "matrix/results"


def release_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("+")[0].split(".")[:3])


def short(version: str) -> str:
    """The minor release a reader names: ``2.7.1`` -> ``2.7`` (the matrix has one patch per minor)."""
    return ".".join(version.split(".")[:2])


@dataclass(frozen=True)
class Matrix:
    releases: tuple[str, ...]  # oldest first
    statuses: dict[str, dict[str, str]]  # behaviour id -> release -> status
    dates: tuple[str, ...]

    def column(self, behaviour_id: str) -> dict[str, str]:
        return self.statuses.get(behaviour_id, {})


def load_matrix(root: Path) -> Matrix:
    files = sorted((Path(root) / RESULTS).glob("torch-*.json"))
    return _load(
        tuple((str(f), f.stat().st_mtime_ns) for f in files)
    )  # read again when a file changes


@functools.cache
def _load(stamps: tuple[tuple[str, int], ...]) -> Matrix:
    files = [Path(name) for name, _ in stamps]
    results = sorted(
        (json.loads(f.read_text(encoding="utf-8")) for f in files),
        key=lambda r: release_key(r["torch"]),
    )
    statuses: dict[str, dict[str, str]] = {}
    for result in results:
        for behaviour, status in result["behaviours"].items():
            statuses.setdefault(behaviour, {})[result["torch"]] = status
    return Matrix(
        tuple(r["torch"] for r in results),
        statuses,
        tuple(sorted({r["date"][:10] for r in results})),
    )


def _runs(releases: tuple[str, ...], chosen: set[str]) -> list[tuple[str, str]]:
    """Consecutive stretches (first, last) of ``releases`` that are in ``chosen``."""
    runs, start, previous = [], None, None
    for release in releases:
        if release in chosen and start is None:
            start = release
        if release not in chosen and start is not None:
            runs.append((start, previous))
            start = None
        previous = release
    if start is not None:
        runs.append((start, releases[-1]))
    return runs


def _span(runs: list[tuple[str, str]]) -> str:
    return ", ".join(
        short(a) if a == b else f"{short(a)} to {short(b)}" for a, b in runs
    )


def describe(matrix: Matrix, column: dict[str, str]) -> str:
    """The releases a behaviour holds on, in words: "torch 2.0 to 2.14", "since torch 2.7", ..."""
    releases = matrix.releases
    if not releases:
        return ""
    if not column:
        return "not measured yet (run `make matrix`)"
    held = {r for r in releases if column.get(r) == "held"}
    failed = {r for r in releases if column.get(r) in ("failed", "raised")}
    unknown = {
        r
        for r in releases
        if column.get(r) not in ("held", "failed", "raised", "not_applicable")
    }
    runs = _runs(releases, held)
    if not runs:
        words = "holds on no measured release"
    elif len(runs) == 1 and runs[0][1] == releases[-1] and runs[0][0] != releases[0]:
        words = f"since torch {short(runs[0][0])}"
    else:
        words = f"torch {_span(runs)}"
    if failed:
        words += f"; fails on {_span(_runs(releases, failed))}"
    if unknown:
        words += f"; not measured on {_span(_runs(releases, unknown))}"
    return words


def preamble(root: Path) -> str:
    """The paragraph above the list: which releases were measured, when, and how."""
    matrix = load_matrix(Path(root))
    if not matrix.releases:
        return ""
    return (
        f"Each behaviour ends with the torch releases on which it holds, measured by running every "
        f"page's code on each release from {short(matrix.releases[0])} to {short(matrix.releases[-1])} "
        f"(`make matrix`, {', '.join(matrix.dates)}; data in `{RESULTS}/`). Where a section needs a newer "
        f"release, older ones do not count against it.\n\n"
    )


def note(root: Path, behaviour_id: str) -> str:
    """`` (torch 2.0 to 2.14)``: what the Specification page appends to a behaviour."""
    matrix = load_matrix(Path(root))
    words = describe(matrix, matrix.column(behaviour_id))
    return f" *({words})*" if words else ""


def behaviour_ids(page: str, descriptions: list[str]) -> list[str]:
    """Stable names of a page's behaviours: ``docs/<page>.md: <sentence>``, repeats numbered."""
    ids, seen = [], set()
    for description in descriptions:
        identity, count = f"{page}: {description}", 2
        while identity in seen:
            identity, count = f"{page}: {description} ({count})", count + 1
        seen.add(identity)
        ids.append(identity)
    return ids
