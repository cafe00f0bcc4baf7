"""`make matrix`: every page's shown code on every torch release of matrix/releases.txt.

For each release, one at a time: a fresh venv (``python -m venv``) gets ``torch==X`` and
the numpy listed beside it (pip, from the registries pip is configured with), every
page's shown code runs in it (executable_docs/standalone_runner.py, one process per
page, ``nice -n 19``), the outcome is written to ``matrix/results/torch-X.json``, and
the venv is deleted. The next release installs while the current one runs. The
format of a result file is matrix/result.schema.json.

    python -m matrix.driver                        # every release of the list
    python -m matrix.driver 2.0.1 2.7.1            # some of them
    python -m matrix.driver --pages docs/kinks.md  # some pages (merged into the files)
    python -m matrix.driver --python PATH          # no install: that interpreter's
                                                   # torch, printed as JSON

``--pages`` measures the named pages and replaces only their part of each release's
file (their behaviours, notes, page records and fingerprints); the rest of the file
keeps what it had. Releases not in releases.txt can be measured with
``matrix.canary``, which writes nothing.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import datetime
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from executable_docs import standalone_runner
from executable_docs.project import load_project
from matrix.pages import (
    NEEDS,
    PageProgram,
    declared_statements,
    load_needs,
    outcomes,
    page_program,
)
from site_build import version_ranges

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RELEASES = HERE / "releases.txt"
RESULTS = ROOT / version_ranges.RESULTS
RUNNER = Path(standalone_runner.__file__)  # run by path in each release's venv
ENVS = Path(os.environ.get("MATRIX_ENVS", "/tmp/matrix-envs"))
NICENESS = 19
NICE = ["nice", "-n", str(NICENESS)]
# A release newer than the cap of this machine's pip constraints (pip config list) needs
# it lifted for its install; releases.txt marks such a line with this requirement.
NO_CONSTRAINTS = "--no-constraints"


def releases() -> list[tuple[str, list[str]]]:
    """(torch release, [other requirements]) per line of releases.txt."""
    found = []
    for line in RELEASES.read_text(encoding="utf-8").splitlines():
        words = line.split("#")[0].split()
        if words:
            found.append((words[0], words[1:]))
    return found


def programs(pages: list[str] | None = None, root: Path = ROOT) -> list[PageProgram]:
    """The page programs of the project at ``root``: all, or those of ``pages``."""
    project = load_project(root / "mkdocs.yml")
    declared = declared_statements(root, load_needs(root / NEEDS.relative_to(ROOT)))
    chosen = project.pages()
    if pages:
        names = {project.relative(page).as_posix(): page for page in chosen}
        unknown = sorted(set(pages) - set(names))
        if unknown:
            raise SystemExit(f"not a page of {project.docs_dir}: {', '.join(unknown)}")
        chosen = [names[page] for page in pages]
    found = [page_program(project, page, declared) for page in chosen]
    return [program for program in found if program.chunks]


def run_page(python: Path, program: dict, timeout: float = 1200) -> dict:
    # A reader's shell (none of the project's variables), niced; the intra-op thread
    # count is not forced (the pages must not depend on it).
    return standalone_runner.run_in_interpreter(
        python, program, timeout=timeout, nice=NICENESS
    )


def installed_torch(python: Path) -> str:
    """The version of the torch ``python`` has, read without importing it."""
    return subprocess.run(
        [
            str(python),
            "-I",
            "-c",
            "from importlib import metadata as m; print(m.version('torch'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def measure(python: Path, pages: list[PageProgram]) -> dict:
    """Run every page in ``python``: the behaviours' statuses and each page's record."""
    started = time.perf_counter()
    torch, commit = installed_torch(python), pages_commit()
    date = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    behaviours, notes, per_page, versions = {}, {}, {}, {}
    for program in pages:
        report = run_page(python, program.program(torch))
        versions = report["versions"] | {"python": report["python"]}
        found = outcomes(program, report, torch)
        behaviours.update(found["behaviours"])
        notes.update(found["notes"])
        per_page[program.page] = {
            "fingerprint": program.fingerprint(),
            "commit": commit,
            "date": date,
            **{
                key: found[key]
                for key in ("raised", "output_differs", "not_applicable")
            },
        }
    return {
        "versions": versions,
        "date": date,
        "run_seconds": round(time.perf_counter() - started, 1),
        "pages": dict(sorted(per_page.items())),
        "behaviours": dict(sorted(behaviours.items())),
        "notes": dict(sorted(notes.items())),
    }


def _size(folder: Path) -> int:
    return sum(
        f.stat().st_size
        for f in folder.rglob("*")
        if f.is_file() and not f.is_symlink()
    )


def install(torch: str, extra: list[str]) -> dict:
    # A folder of its own: two runs at once (two checkouts) must not share a venv.
    ENVS.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=f"torch-{torch}-", dir=ENVS))
    started = time.perf_counter()
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    environment = dict(os.environ)
    if NO_CONSTRAINTS in extra:
        environment["PIP_CONSTRAINT"] = os.devnull
    requirements = [word for word in extra if word != NO_CONSTRAINTS]
    pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    completed = subprocess.run(
        [*NICE, *pip, "--disable-pip-version-check", f"torch=={torch}", *requirements],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    seconds = time.perf_counter() - started
    if completed.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        return {
            "folder": None,
            "error": completed.stderr.strip().splitlines()[-1:] or ["pip failed"],
        }
    return {
        "folder": folder,
        "install_seconds": round(seconds, 1),
        "env_bytes": _size(folder),
    }


def pages_commit() -> str:
    """The commit of the pages measured, marked when they differ from it."""
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = subprocess.run(
        [
            "git",
            "status",
            "--porcelain",
            "--",
            "docs/*.md",
            "snippets",
            "matrix/needs.toml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return head + (version_ranges.DIRTY if dirty.stdout.strip() else "")


def merged(previous: dict | None, measured: dict) -> dict:
    """``measured`` (some pages) in place of those pages' part of ``previous``."""
    if previous is None:
        return measured
    names = set(measured["pages"])

    def others(mapping: dict) -> dict:
        return {
            key: value
            for key, value in mapping.items()
            if key.split(":", 1)[0] not in names
        }

    return measured | {
        key: dict(sorted((others(previous[key]) | measured[key]).items()))
        for key in ("pages", "behaviours", "notes")
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "only",
        nargs="*",
        help="torch releases of releases.txt to measure (default: all)",
    )
    parser.add_argument(
        "--pages",
        nargs="+",
        metavar="docs/PAGE.md",
        help="measure only these pages; the rest of each result file is kept",
    )
    parser.add_argument(
        "--python",
        type=Path,
        help="measure this interpreter's torch, print JSON, install nothing",
    )
    args = parser.parse_args(argv)
    pages = programs(args.pages)
    if args.python:
        json.dump(measure(args.python.absolute(), pages), sys.stdout, indent=1)
        return 0
    listed = dict(releases())
    unknown = set(args.only) - set(listed)
    if unknown:
        parser.error(f"not in {RELEASES.name}: {', '.join(sorted(unknown))}")
    todo = [(torch, listed[torch]) for torch in args.only or listed]
    RESULTS.mkdir(exist_ok=True)
    command = "python -m matrix.driver" + "".join(
        f" {word}" for word in (argv if argv is not None else sys.argv[1:])
    )
    failures = 0
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as installer:
        pending = installer.submit(install, *todo[0]) if todo else None
        for index, (torch, extra) in enumerate(todo):
            installed = pending.result()
            if index + 1 < len(todo):
                pending = installer.submit(install, *todo[index + 1])
            if installed["folder"] is None:
                print(
                    f"torch {torch}: install failed: {installed['error']}", flush=True
                )
                failures += 1
                continue
            try:
                measured = measure(installed["folder"] / "bin" / "python", pages)
            finally:
                shutil.rmtree(installed["folder"], ignore_errors=True)
            path = RESULTS / f"torch-{torch}.json"
            previous = (
                version_ranges.read_result(path)
                if args.pages and path.exists()
                else None
            )
            result = {
                "format": version_ranges.FORMAT,
                "torch": torch,
                "requirements": [f"torch=={torch}", *extra],
                "command": command,
                "install_seconds": installed["install_seconds"],
                "env_megabytes": round(installed["env_bytes"] / 1e6),
                **merged(previous, measured),
            }
            version_ranges.write_result(path, result)
            counts: dict[str, int] = {}
            for status in result["behaviours"].values():
                counts[status] = counts.get(status, 0) + 1
            print(
                f"torch {torch}: installed in {result['install_seconds']} s "
                f"({result['env_megabytes']} MB), ran in {measured['run_seconds']} s: "
                f"{counts}",
                flush=True,
            )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
