"""The release canary: measure a torch the results do not hold yet, print what differs.

    python -m matrix.canary                     # the newest release pip finds
    python -m matrix.canary --release 2.16.0    # that release
    python -m matrix.canary --nightly           # the nightly pre-release (CPU index)
    python -m matrix.canary --python PATH       # that interpreter's torch, no install

It installs that torch into a fresh venv under /tmp/matrix-envs (removed after), with
the numpy of the newest committed result, runs every page's shown code on it as
``make matrix`` does, and compares with the newest committed result
(matrix/results/torch-X.json) page by page: each documented behaviour whose status
differs, and each printed output that differs from the page on one release and not on
the other (or differently), with the page and section that show it. For a page whose
code changed since that result, it compares with the newest result measured on the
code shown now, and says so. It writes no result file (``make matrix`` does, for a
release listed in releases.txt).

Exit status 1 when anything differs, 0 when nothing does. ``--summary FILE`` appends
the same report as Markdown (the scheduled workflow passes $GITHUB_STEP_SUMMARY).
``--index-url`` and ``--pre`` go to pip.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from matrix import driver
from matrix.pages import PageProgram
from site_build import version_ranges

NIGHTLY_INDEX = "https://download.pytorch.org/whl/nightly/cpu"


@dataclass(frozen=True)
class Difference:
    page: str
    section: str
    what: str  # the behaviour's sentence, or the statement that prints
    before: str
    after: str


def baselines(results: list[dict], programs: list[PageProgram]) -> dict[str, dict]:
    """Per page, the newest result measured on the code it shows now (if any)."""
    found = {}
    for program in programs:
        for result in reversed(results):
            record = result["pages"].get(program.page)
            if record and record["fingerprint"] == program.fingerprint():
                found[program.page] = result
                break
    return found


def differences(
    measured: dict, torch: str, results: list[dict], programs: list[PageProgram]
) -> tuple[list[Difference], list[str]]:
    """What differs between ``measured`` (on ``torch``) and the committed results; and
    the pages compared with an older result, or not at all."""
    found, remarks = [], []
    newest = results[-1]["torch"] if results else None
    chosen = baselines(results, programs)
    for program in programs:
        base = chosen.get(program.page)
        if base is None:
            remarks.append(
                f"{program.page}: no committed result was measured on its code now; "
                f"not compared"
            )
            continue
        if base["torch"] != newest:
            remarks.append(
                f"{program.page}: compared with torch {base['torch']}, the newest "
                f"result measured on its code now"
            )
        old = version_ranges.short(base["torch"])
        new = version_ranges.short(torch)
        for behaviour in program.behaviours:
            before = base["behaviours"].get(behaviour.id)
            after = measured["behaviours"].get(behaviour.id)
            if before != after:
                chunk = program.chunks[behaviour.chunk]
                found.append(
                    Difference(
                        program.page,
                        chunk.section,
                        behaviour.description,
                        f"{old}: {_status(base, behaviour.id)}",
                        f"{new}: {_status(measured, behaviour.id)}",
                    )
                )
        found.extend(_output_differences(program, base, measured, old, new))
    return found, remarks


def _status(result: dict, behaviour_id: str) -> str:
    status = result["behaviours"].get(behaviour_id, "absent")
    note = result["notes"].get(behaviour_id)
    return f"{status} ({note['at']}: {note['why']})" if note else status


def _output_differences(
    program: PageProgram, base: dict, measured: dict, old: str, new: str
) -> list[Difference]:
    def by_source(result: dict) -> dict[str, str]:
        record = result["pages"].get(program.page, {})
        entries = record.get("output_differs", []) + record.get("raised", [])
        found: dict[str, str] = {}
        for entry in entries:
            source, _, what = entry.partition(": ")
            found.setdefault(source, what)
        return found

    before, after = by_source(base), by_source(measured)
    sections = {s.source: program.chunks[s.chunk].section for s in program.statements}
    asserted = {b.source for b in program.behaviours}  # told as behaviours already
    return [
        Difference(
            program.page,
            sections.get(source, ""),
            f"the output of {source}",
            f"{old}: {before.get(source, 'as the page shows')}",
            f"{new}: {after.get(source, 'as the page shows')}",
        )
        for source in sorted(set(before) | set(after))
        if before.get(source) != after.get(source) and source not in asserted
    ]


def report(
    torch: str, found: list[Difference], remarks: list[str], markdown: bool
) -> str:
    count = len(found)
    what = (
        "behaviour or output differs" if count == 1 else "behaviours and outputs differ"
    )
    title = f"torch {torch}: {count} documented {what}"
    lines = [f"## {title}" if markdown else title, ""]
    for d in found:
        where = f"{d.page} › {d.section}" if d.section else d.page
        lines.append(f"- {where}: {d.what}")
        lines.append(f"  - {d.before}")
        lines.append(f"  - {d.after}")
    lines += ["", *remarks] if remarks else []
    return "\n".join(lines).rstrip() + "\n"


def _install(requirement: str, extra: list[str], pip_options: list[str]) -> Path:
    driver.ENVS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="canary-", dir=driver.ENVS))
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    python = folder / "bin" / "python"
    subprocess.run(
        [
            *driver.NICE,
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            *pip_options,
            requirement,
            *extra,
        ],
        check=True,
    )
    return python


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--release", help="a torch release (default: the newest)")
    chosen.add_argument(
        "--nightly", action="store_true", help="the nightly pre-release"
    )
    chosen.add_argument(
        "--python", type=Path, help="an interpreter with torch installed"
    )
    parser.add_argument("--pages", nargs="+", metavar="docs/PAGE.md")
    parser.add_argument("--index-url", help="pip's --index-url for the install")
    parser.add_argument("--pre", action="store_true", help="let pip take a pre-release")
    parser.add_argument("--summary", type=Path, help="append the report as Markdown")
    args = parser.parse_args(argv)
    programs = driver.programs(args.pages)
    files = version_ranges.result_files(driver.ROOT)
    results = [version_ranges.read_result(f) for f in files]
    numpy = (
        [r for r in results[-1]["requirements"] if r.startswith("numpy")]
        if results
        else []
    )
    installed = None
    if args.python:
        python = args.python.absolute()
    else:
        options = []
        if args.nightly:
            options = ["--pre", "--index-url", args.index_url or NIGHTLY_INDEX]
        else:
            options = (["--pre"] if args.pre else []) + (
                ["--index-url", args.index_url] if args.index_url else []
            )
        requirement = f"torch=={args.release}" if args.release else "torch"
        python = installed = _install(requirement, numpy, options)
    try:
        torch = driver.installed_torch(python)
        print(f"measuring torch {torch} ({python})", flush=True)
        measured = driver.measure(python, programs)
    finally:
        if installed:
            shutil.rmtree(installed.parent.parent, ignore_errors=True)
    found, remarks = differences(measured, torch, results, programs)
    print(report(torch, found, remarks, markdown=False), end="")
    if args.summary:
        with args.summary.open("a", encoding="utf-8") as summary:
            summary.write(report(torch, found, remarks, markdown=True))
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
