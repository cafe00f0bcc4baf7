"""Run a page's code in another interpreter, one top-level statement at a time.

Standalone and stdlib-only, so it runs in any interpreter (a bare venv holding only the
libraries a reader installs, or another release of them): it imports nothing from the
project and is run by its path; it writes a JSON report.

    python -I standalone_runner.py program.json report.json

``program.json``::

    {"name": "...",
     "after_error": "stop" | "continue",  # what a reader sees | what a matrix needs
     "versions_of": ["numpy", ...],       # distributions whose versions to report
     "must_not_import": ["mypackage", ...],  # modules to report as importable or not
     "chunks": [{"label": "...", "code": "..."}, ...]}

The chunks (a page's code blocks, a notebook's code cells) run in order in one
``__main__`` namespace, as pasted into one fresh session (what a release cannot run,
the caller leaves out of the program: matrix/pages.py). With ``"stop"`` nothing runs
after the first exception (later chunks are ``not_run``); with ``"continue"`` every
later statement still runs and is marked ``after_error``, and the caller decides what
of it counts (the matrix: what does not use what the failure made).

Per chunk the report has ``statements``: ``first``/``last`` (1-based lines in the
chunk), ``stdout``, ``stderr``, ``error`` (``{"line", "type", "message", "traceback"}``
or null) and ``after_error``; and ``error``, the chunk's first exception. Comparing the
printed text with what the page shows is left to the caller (the harness's rules).

The project's side uses this module too: ``run_statements`` is the one statement loop
(the harness's in-process page runs use it), ``run_in_interpreter`` the one driver that
starts this file in another interpreter (the reader runs and the release matrix).
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import platform
import sys
import time
import traceback
from collections.abc import Callable, Iterable, Iterator
from importlib import metadata
from pathlib import Path
from types import CodeType
from typing import Any, NamedTuple


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def first_line(node: ast.stmt) -> int:
    """The first line of a top-level statement, its decorators included."""
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


class StatementRun(NamedTuple):
    item: Any  # what the caller passed for the statement
    stdout: str
    stderr: str
    error: BaseException | None  # what it raised (KeyboardInterrupt included)


def run_statements(
    items: Iterable[Any], namespace: dict, compile_item: Callable[[Any], CodeType]
) -> Iterator[StatementRun]:
    """Execute top-level statements one at a time in ``namespace``: every runner's loop.

    ``compile_item`` turns each item into the statement's code object (this runner: the
    node as it stands; the harness: with the snippet file's name and lines). What each
    statement prints is captured; an exception is yielded with it, never raised, so each
    caller decides what follows it (stop the session, go on, fail the test).
    """
    for item in items:
        printed, warned = io.StringIO(), io.StringIO()
        error = None
        try:
            code = compile_item(item)
            with (
                contextlib.redirect_stdout(printed),
                contextlib.redirect_stderr(warned),
            ):
                exec(code, namespace)  # noqa: S102 - running the page's code is the point
        except BaseException as raised:  # noqa: BLE001 - the caller decides what it means
            error = raised
        yield StatementRun(item, printed.getvalue(), warned.getvalue(), error)


def _error(error: BaseException, label: str, fallback_line: int) -> dict:
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__
    ]
    return {
        # The top-level statement's line (the outermost frame of this chunk), not a line
        # inside a function it called.
        "line": next(
            (frame.lineno for frame in frames if frame.filename == label), fallback_line
        ),
        "type": type(error).__name__,
        "message": str(error),
        "traceback": "".join(traceback.format_list(frames))
        + "".join(traceback.format_exception_only(type(error), error)),
    }


def run_chunk(
    label: str, code: str, namespace: dict, *, after_error: bool, stop: bool
) -> dict:
    """Run one chunk's statements; ``after_error``: an exception was raised earlier in
    the session; ``stop``: run nothing after an exception."""
    report = {"label": label, "statements": [], "error": None}
    started = time.perf_counter()
    try:
        tree = ast.parse(code, filename=label)
    except SyntaxError as error:
        line = error.lineno or 1
        report["error"] = {
            "line": line,
            "type": "SyntaxError",
            "message": str(error),
            "traceback": "",
        }
        report["statements"].append(
            {
                "first": line,
                "last": line,
                "stdout": "",
                "stderr": "",
                "error": report["error"],
                "after_error": after_error,
            }
        )
        return report

    def compile_node(node: ast.stmt) -> CodeType:
        module = ast.Module(body=[node], type_ignores=[])
        return compile(module, label, "exec", dont_inherit=True)

    for ran in run_statements(tree.body, namespace, compile_node):
        node = ran.item
        first = first_line(node)
        statement = {
            "first": first,
            "last": node.end_lineno or node.lineno,
            "error": None,
            "after_error": after_error,
            "stdout": ran.stdout,
            "stderr": ran.stderr,
        }
        if ran.error is not None:
            statement["error"] = _error(ran.error, label, first)
            report["error"] = report["error"] or statement["error"]
            after_error = True
        report["statements"].append(statement)
        if after_error and stop:
            break
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


def run_program(program: dict) -> dict:
    started = time.perf_counter()
    stop = program.get("after_error", "stop") == "stop"
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    chunks, failed = [], False
    for chunk in program["chunks"]:
        label = chunk["label"]
        if failed and stop:
            chunks.append(
                {"label": label, "statements": [], "error": None, "not_run": True}
            )
        else:
            chunks.append(
                run_chunk(
                    label, chunk["code"], namespace, after_error=failed, stop=stop
                )
            )
            failed = failed or chunks[-1]["error"] is not None
    return {
        "name": program.get("name", ""),
        "python": platform.python_version(),
        "executable": sys.executable,
        "versions": {name: installed(name) for name in program.get("versions_of", [])},
        "importable": {
            name: importlib.util.find_spec(name) is not None
            for name in program.get("must_not_import", [])
        },
        "sys_path": sys.path,
        "completed": not failed,
        "seconds": round(time.perf_counter() - started, 3),
        "chunks": chunks,
    }


def shell_environment(home: Path) -> dict[str, str]:
    """A reader's shell environment: none of the project's (PYTHONPATH, venv...)."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "LANG": "C.UTF-8",
        "MPLBACKEND": "Agg",  # a cell that draws, without a display
        "MPLCONFIGDIR": str(home / "matplotlib"),
    }


def run_in_interpreter(
    python: Path | str, program: dict, *, timeout: float, nice: int = 0
) -> dict:
    """Run ``program`` with this file in a fresh process of ``python``; its report.

    The process is isolated (``-I``: no PYTHON* variables, no user site, no script
    folder on the path), works in an empty temporary folder with a reader's shell
    environment, and is niced by ``nice``. The one driver of the reader runs
    (tests/site) and the release matrix (matrix/driver.py). Raises RuntimeError when
    the runner writes no report, subprocess.TimeoutExpired after ``timeout`` seconds.
    """
    import subprocess  # here, not at the top: the runner's own process never needs them
    import tempfile

    with tempfile.TemporaryDirectory(prefix="standalone-run-") as folder:
        work = Path(folder)
        (work / "program.json").write_text(json.dumps(program), encoding="utf-8")
        prefix = ["nice", "-n", str(nice)] if nice else []
        completed = subprocess.run(
            [*prefix, str(python), "-I", __file__, "program.json", "report.json"],
            check=False,  # a failed run writes its report too; no report is the error
            cwd=work,
            env=shell_environment(work),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        report = work / "report.json"
        if not report.exists():
            raise RuntimeError(
                f"{program.get('name', 'program')}: the runner wrote no report "
                f"(exit {completed.returncode}):\n{completed.stderr[-3000:]}"
            )
        return json.loads(report.read_text(encoding="utf-8"))


def main(argv: list[str]) -> int:
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(argv[1], encoding="utf-8") as stream:
        program = json.load(stream)
    report = run_program(program)
    with open(argv[2], "w", encoding="utf-8") as stream:
        json.dump(report, stream, indent=1)
    return 0 if report["completed"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
