"""Every committed result file is checked: form, digest, fingerprints and story.

A result file (matrix/result.schema.json) is only as good as the run that wrote it.
``problems`` lists what is wrong with one, so tests/matrix can fail naming the file:

* it does not follow the schema, is named for another release, or its digest does not
  match its content (a status or record edited by hand);
* a page's fingerprint matches neither the code the pages show now nor the code at the
  commit it names (git must have that commit: a shallow clone needs its history);
* its behaviours are not exactly those of the code it measured;
* its statuses do not agree with its records: a behaviour that failed or raised names
  a statement whose exception the page recorded, one that is not applicable names a
  declared need newer than the release, a held one has no note, and every declared
  statement raised on a release older than its need.
"""

from __future__ import annotations

import functools
import io
import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import jsonschema

from matrix.pages import PageProgram
from site_build import version_ranges

HERE = Path(__file__).resolve().parent
SCHEMA = HERE / "result.schema.json"
# What a program at an old commit needs: the pages, their code and the declarations.
MEASURED_INPUTS = ("mkdocs.yml", "docs", "snippets", "matrix/needs.toml")


def problems(path: Path, current: dict[str, PageProgram], root: Path) -> list[str]:
    """What is wrong with the result file ``path`` (empty: nothing)."""
    try:
        result = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        return [f"not JSON: {error}"]
    validator = jsonschema.Draft202012Validator(_schema())
    found = [
        f"{'/'.join(map(str, error.absolute_path)) or 'the file'}: {error.message}"
        for error in sorted(validator.iter_errors(result), key=str)
    ]
    if found:
        return found
    if path.name != f"torch-{result['torch']}.json":
        found.append(f"it measured torch {result['torch']} but is named {path.name}")
    if version_ranges.digest(result) != result["digest"]:
        found.append(
            "its digest does not match its content: the file was changed after "
            "`make matrix` wrote it; measure again instead of editing it"
        )
    for page, record in result["pages"].items():
        program = _measured(page, record, current, root)
        if isinstance(program, str):
            found.append(program)
            continue
        found.extend(_story(result, page, record, program))
    listed = {b.split(": ", 1)[0] for b in result["behaviours"]}
    found.extend(
        f"behaviours of {page}, which has no page record"
        for page in listed - set(result["pages"])
    )
    return found


@functools.cache
def _schema() -> dict:
    return json.loads(SCHEMA.read_text(encoding="utf-8"))


def _measured(
    page: str, record: dict, current: dict[str, PageProgram], root: Path
) -> PageProgram | str:
    """The program whose fingerprint the record claims: now, or at its commit."""
    now = current.get(page)
    if now is not None and now.fingerprint() == record["fingerprint"]:
        return now
    commit = record["commit"]
    if commit.endswith(version_ranges.DIRTY):
        return (
            f"{page}: measured on uncommitted code that differs from the code now "
            f"(fingerprint {record['fingerprint']})"
        )
    then = programs_at(root, commit)
    if isinstance(then, str):
        return f"{page}: {then}"
    program = then.get(page)
    if program is None or program.fingerprint() != record["fingerprint"]:
        return (
            f"{page}: its fingerprint {record['fingerprint']} is neither the code's "
            f"now "
            f"({now.fingerprint() if now else 'no such page now'}) nor the code's at "
            f"{commit[:12]}, the commit it names"
        )
    return program


@functools.cache
def programs_at(root: Path, commit: str) -> dict[str, PageProgram] | str:
    """The page programs of the code at ``commit`` (or why there are none)."""
    from matrix.driver import programs  # the driver imports this module's callers

    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit, *MEASURED_INPUTS],
        cwd=root,
        capture_output=True,
        check=False,
    )
    if archive.returncode != 0:
        return (
            f"git has no commit {commit[:12]} with {', '.join(MEASURED_INPUTS)} "
            f"(a shallow clone? fetch the whole history): "
            f"{archive.stderr.decode(errors='replace').strip()[:200]}"
        )
    with tempfile.TemporaryDirectory(prefix="matrix-commit-") as folder:
        with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
            tar.extractall(folder, filter="data")
        try:
            return {p.page: p for p in programs(root=Path(folder))}
        except Exception as error:  # noqa: BLE001 - any reason the old code cannot be read
            return f"the pages at {commit[:12]} cannot be read now: {error}"


def _story(result: dict, page: str, record: dict, program: PageProgram) -> list[str]:
    """The page's statuses agree with its records and with the code it measured."""
    found = []
    torch = version_ranges.release(result["torch"])
    mine = {
        name: status
        for name, status in result["behaviours"].items()
        if name.split(": ", 1)[0] == page
    }
    expected = {b.id for b in program.behaviours}
    if set(mine) != expected:
        missing, extra = sorted(expected - set(mine)), sorted(set(mine) - expected)
        found.append(
            f"{page}: its behaviours are not those of the code it measured "
            f"(missing {missing[:3]}, unknown {extra[:3]})"
        )
    raised = set(record["raised"])
    needs = {
        s.source: s.need
        for s in program.statements
        if s.need and torch < s.need.release
    }
    for behaviour in program.behaviours:
        status, note = mine.get(behaviour.id), result["notes"].get(behaviour.id)
        where = f"{behaviour.id!r} is {status}"
        if status == "held":
            if note is not None:
                found.append(f"{where} but has a note: {note}")
            continue
        if note is None:
            found.append(f"{where} without a note saying why")
        elif status == "failed" and (
            note["at"] != behaviour.source
            or not note["why"].startswith("AssertionError")
        ):
            found.append(f"{where}, but its note is not its assertion's: {note}")
        elif status in ("failed", "raised", "after_error") and (
            f"{note['at']}: {note['why']}" not in raised
        ):
            found.append(
                f"{where}, but {page} recorded no such exception: "
                f"{note['at']}: {note['why']}"
            )
        elif status == "not_applicable" and (
            note["at"] not in needs or needs[note["at"]].reason() != note["why"]
        ):
            found.append(
                f"{where}, but no statement at {note['at']} declares {note['why']!r} "
                f"newer than torch {result['torch']}"
            )
    for source, need in needs.items():
        entries = [e for e in record["not_applicable"] if e.startswith(f"{source}:")]
        if not entries:
            found.append(f"{page}: the declared statement at {source} has no record")
        elif entries[0].endswith(": ran"):
            found.append(
                f"{page}: {source} ran on torch {result['torch']} without error, so it "
                f"does not need torch {need.torch}: correct matrix/needs.toml"
            )
    stale = [
        entry
        for entry in record["not_applicable"]
        if entry.split(": ", 1)[0] not in needs
    ]
    found.extend(
        f"{page}: {entry!r} is recorded, but needs nothing newer than this release"
        for entry in stale
    )
    return found
