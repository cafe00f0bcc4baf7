"""`make matrix`: every page's shown code on every torch release of matrix/releases.txt.

For each release, one at a time: a fresh venv (``python -m venv``) gets ``torch==X`` and
the numpy listed beside it (pip, from the registries pip is configured with; its cache
keeps the wheels), every page's shown code runs to the end in it
(executable_docs/standalone_runner.py, one process per page, ``nice -n 19``), the
outcome is written to ``matrix/results/torch-X.json``, and the venv is deleted. The
next release installs while the current one runs. Each result file records the
command, the date, the commit of the pages, the install time and size, and the run
time.

    python -m matrix.driver                    # every release of the list
    python -m matrix.driver 2.0.1 2.7.1        # some of them
    python -m matrix.driver --python PATH      # no install: that interpreter's torch,
                                               # as JSON (what tests/matrix compares)
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
import time
from pathlib import Path

from executable_docs import standalone_runner
from executable_docs.project import load_project
from matrix.pages import PageProgram, outcomes, page_program

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RELEASES = HERE / "releases.txt"
RESULTS = HERE / "results"
RUNNER = Path(standalone_runner.__file__)  # run by path in each release's venv
ENVS = Path(os.environ.get("MATRIX_ENVS", "/tmp/matrix-envs"))
NICENESS = 19
NICE = ["nice", "-n", str(NICENESS)]


def releases() -> list[tuple[str, list[str]]]:
    """(torch release, [other requirements]) per line of releases.txt."""
    found = []
    for line in RELEASES.read_text(encoding="utf-8").splitlines():
        words = line.split("#")[0].split()
        if words:
            found.append((words[0], words[1:]))
    return found


def programs() -> list[PageProgram]:
    project = load_project(ROOT / "mkdocs.yml")
    found = [page_program(project, page) for page in project.pages()]
    return [program for program in found if program.chunks]


def run_page(python: Path, program: PageProgram, timeout: float = 1200) -> dict:
    # A reader's shell (none of the project's variables), niced; the intra-op thread
    # count is not forced (the pages must not depend on it).
    return standalone_runner.run_in_interpreter(
        python, program.program(), timeout=timeout, nice=NICENESS
    )


def measure(python: Path, pages: list[PageProgram]) -> dict:
    """Run every page in ``python``: the behaviours' statuses, each page's problems."""
    started = time.perf_counter()
    behaviours, per_page, versions = {}, {}, {}
    for program in pages:
        report = run_page(python, program)
        versions = report["versions"] | {"python": report["python"]}
        found = outcomes(program, report)
        behaviours.update(found["behaviours"])
        if found["raised"] or found["output_differs"]:
            per_page[program.page] = {
                "raised": found["raised"],
                "output_differs": found["output_differs"],
            }
    return {
        "versions": versions,
        "run_seconds": round(time.perf_counter() - started, 1),
        "fingerprints": {program.page: program.fingerprint() for program in pages},
        "behaviours": dict(sorted(behaviours.items())),
        "pages": per_page,
    }


def _size(folder: Path) -> int:
    return sum(
        f.stat().st_size
        for f in folder.rglob("*")
        if f.is_file() and not f.is_symlink()
    )


def install(torch: str, extra: list[str]) -> dict:
    folder = ENVS / f"torch-{torch}"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True)
    completed = subprocess.run(
        [
            *NICE,
            str(folder / "bin" / "python"),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"torch=={torch}",
            *extra,
        ],
        capture_output=True,
        text=True,
        check=False,  # a failed install is reported, not raised
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


def _commit() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "docs/*.md", "snippets"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return head + (
        "+uncommitted changes in docs/*.md or snippets/" if dirty.stdout.strip() else ""
    )


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
        "--python",
        type=Path,
        help="measure this interpreter's torch, print JSON, install nothing",
    )
    args = parser.parse_args(argv)
    pages = programs()
    if args.python:
        json.dump(measure(args.python, pages), sys.stdout, indent=1)
        return 0
    listed = dict(releases())
    todo = (
        [(torch, listed[torch]) for torch in args.only if torch in listed]
        if args.only
        else list(listed.items())
    )
    unknown = set(args.only) - set(listed)
    if unknown:
        parser.error(f"not in {RELEASES.name}: {', '.join(sorted(unknown))}")
    RESULTS.mkdir(exist_ok=True)
    command = "python -m matrix.driver" + "".join(f" {name}" for name in args.only)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as installer:
        pending = installer.submit(install, *todo[0]) if todo else None
        for index, (torch, extra) in enumerate(todo):
            installed = pending.result()
            pending = (
                installer.submit(install, *todo[index + 1])
                if index + 1 < len(todo)
                else None
            )
            if installed["folder"] is None:
                print(
                    f"torch {torch}: install failed: {installed['error']}", flush=True
                )
                continue
            try:
                measured = measure(installed["folder"] / "bin" / "python", pages)
            finally:
                shutil.rmtree(installed["folder"], ignore_errors=True)
            result = {
                "torch": torch,
                "requirements": [f"torch=={torch}", *extra],
                "command": command,
                "date": datetime.datetime.now(datetime.UTC).strftime(
                    "%Y-%m-%d %H:%M UTC"
                ),
                "pages_commit": _commit(),
                "install_seconds": installed["install_seconds"],
                "env_megabytes": round(installed["env_bytes"] / 1e6),
                **measured,
            }
            path = RESULTS / f"torch-{torch}.json"
            path.write_text(
                json.dumps(result, indent=1, ensure_ascii=False) + "\n",
                encoding="utf-8",
            )
            counts = {}
            for status in result["behaviours"].values():
                counts[status] = counts.get(status, 0) + 1
            print(
                f"torch {torch}: installed in {result['install_seconds']} s "
                f"({result['env_megabytes']} MB), "
                f"ran in {result['run_seconds']} s: {counts}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
