"""On which torch releases each asserted behaviour holds: the matrix data, for the site.

``make matrix`` (matrix/driver.py) writes one file per release,
``matrix/results/torch-X.Y.Z.json``, in the format matrix/result.schema.json documents.
That file format is the only way the matrix's data reaches the site: this module reads
it (and ``write_result`` seals it with a digest of its content, so a file edited by hand
is caught by tests/matrix); it imports nothing from matrix/.

Per behaviour and release the file holds a status: ``held``; ``failed`` (its assertion
raised AssertionError) or ``raised`` (its own section's code raised first), both counted
as failing; ``not_applicable`` (its code uses what a statement needing a newer API
makes, matrix/needs.toml); ``after_error`` (it uses what an earlier section's failing
statement made) and ``not_run``, both unmeasured. ``describe`` turns a column into words
("torch 2.0 to 2.15", "since torch 2.6; fails on 2.0 to 2.5"): a behaviour is dated
("since") only where the data shows it failing on the release before, and a cell that
is not applicable or not measured is said to be so, never folded into a range.
"""

from __future__ import annotations

import functools
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from packaging.version import Version

RESULTS = "matrix/results"
FORMAT = 2
DIRTY = "+uncommitted changes"  # appended to a page's commit measured with local edits

HOLDS = ("held",)
FAILS = ("failed", "raised")
NOT_APPLICABLE = ("not_applicable",)
UNMEASURED = ("after_error", "not_run")
STATUSES = HOLDS + FAILS + NOT_APPLICABLE + UNMEASURED


def release(version: str) -> Version:
    """A torch version as a release, ``2.7.1+cpu`` -> 2.7.1 (``packaging``'s order)."""
    return Version(Version(version).base_version)


def short(version: str) -> str:
    """The minor release a reader names: ``2.7.1`` -> ``2.7`` (one patch per minor)."""
    parsed = Version(version)
    return f"{parsed.major}.{parsed.minor}"


def digest(result: dict) -> str:
    """The digest of a result file's content (everything but the digest itself)."""
    content = {key: value for key, value in result.items() if key != "digest"}
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def write_result(path: Path, result: dict) -> None:
    sealed = {key: value for key, value in result.items() if key != "digest"}
    sealed["digest"] = digest(sealed)
    path.write_text(
        json.dumps(sealed, indent=1, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def read_result(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))


def result_files(root: Path) -> list[Path]:
    """The result files, oldest release first."""
    files = (Path(root) / RESULTS).glob("torch-*.json")
    return sorted(files, key=lambda f: release(f.stem.removeprefix("torch-")))


@dataclass(frozen=True)
class Matrix:
    releases: tuple[str, ...]  # oldest first
    statuses: dict[str, dict[str, str]]  # behaviour id -> release -> status
    notes: dict[str, dict[str, dict]]  # behaviour id -> release -> {"at", "why"}
    outputs: dict[str, dict[str, list[str]]]  # release -> page -> outputs that differ
    dates: tuple[str, ...]

    def column(self, behaviour_id: str) -> dict[str, str]:
        return self.statuses.get(behaviour_id, {})

    def differing(self) -> list[str]:
        """The behaviours whose status is not the same on every measured release."""
        return [
            name
            for name, column in self.statuses.items()
            if len({column.get(r) for r in self.releases}) > 1
        ]


def load_matrix(root: Path) -> Matrix:
    files = result_files(root)
    return _load(tuple((str(f), f.stat().st_mtime_ns) for f in files))


@functools.cache  # read again when a file changes (its modification time is in the key)
def _load(stamps: tuple[tuple[str, int], ...]) -> Matrix:
    results = [read_result(Path(name)) for name, _ in stamps]
    statuses: dict[str, dict[str, str]] = {}
    notes: dict[str, dict[str, dict]] = {}
    outputs: dict[str, dict[str, list[str]]] = {}
    for result in results:
        torch = result["torch"]
        for behaviour, status in result["behaviours"].items():
            statuses.setdefault(behaviour, {})[torch] = status
        for behaviour, note in result["notes"].items():
            notes.setdefault(behaviour, {})[torch] = note
        outputs[torch] = {
            page: record["output_differs"]
            for page, record in result["pages"].items()
            if record.get("output_differs")
        }
    dates = {record["date"][:10] for r in results for record in r["pages"].values()}
    return Matrix(
        tuple(r["torch"] for r in results),
        statuses,
        notes,
        outputs,
        tuple(sorted(dates)),
    )


def kind(status: str | None) -> str:
    """``holds``, ``fails``, ``not applicable`` or ``not measured``."""
    if status in HOLDS:
        return "holds"
    if status in FAILS:
        return "fails"
    if status in NOT_APPLICABLE:
        return "not applicable"
    return "not measured"


def _runs(releases: tuple[str, ...], chosen: set[str]) -> list[tuple[str, str]]:
    """Consecutive stretches (first, last) of ``releases`` that are in ``chosen``."""
    runs: list[tuple[str, str]] = []
    start: str | None = None
    previous = ""
    for name in releases:
        if name in chosen and start is None:
            start = name
        if name not in chosen and start is not None:
            runs.append((start, previous))
            start = None
        previous = name
    if start is not None:
        runs.append((start, releases[-1]))
    return runs


def span(releases: tuple[str, ...], chosen: set[str]) -> str:
    """``chosen`` as minor releases: "2.0 to 2.5, 2.9"."""
    return ", ".join(
        short(a) if a == b else f"{short(a)} to {short(b)}"
        for a, b in _runs(releases, chosen)
    )


def describe(matrix: Matrix, column: dict[str, str]) -> str:
    """The releases a behaviour holds on, in words: "torch 2.0 to 2.15", "since torch
    2.6; fails on 2.0 to 2.5", "torch 2.7 to 2.15; not applicable on 2.0 to 2.6"."""
    releases = matrix.releases
    if not releases:
        return ""
    if not column:
        return "not measured yet (run `make matrix`)"
    by_kind: dict[str, set[str]] = {}
    for name in releases:
        by_kind.setdefault(kind(column.get(name)), set()).add(name)
    held = by_kind.get("holds", set())
    runs = _runs(releases, held)
    first = runs[0][0] if runs else None
    before = (
        releases[releases.index(first) - 1] if first and first != releases[0] else None
    )
    if not runs:
        words = "holds on no measured release"
    elif (
        len(runs) == 1
        and runs[0][1] == releases[-1]
        and before in by_kind.get("fails", ())
    ):
        words = f"since torch {short(runs[0][0])}"
    else:
        words = f"torch {span(releases, held)}"
    for other in ("fails", "not applicable", "not measured"):
        if by_kind.get(other):
            words += f"; {other} on {span(releases, by_kind[other])}"
    return words


def note(root: Path, behaviour_id: str) -> str:
    """`` *(torch 2.0 to 2.15)*``: the label a lesson's checks box gives a behaviour."""
    matrix = load_matrix(Path(root))
    words = describe(matrix, matrix.column(behaviour_id))
    return f" *({words})*" if words else ""
