"""Run a page's code in another interpreter, one top-level statement at a time; write a JSON report.

Standalone and stdlib-only, so it runs in any interpreter (a bare venv holding only the
libraries a reader installs, or another release of them): it imports nothing from the
project and is run by its path.

    python -I standalone_runner.py program.json report.json

``program.json``::

    {"name": "...",
     "after_error": "stop" | "continue",     # what a reader sees | what a release matrix needs
     "versions_of": ["numpy", ...],          # distributions whose installed versions to report
     "must_not_import": ["mypackage", ...],  # modules to report as importable or not
     "record_reads": true,                   # optional: report what the run read
     "chunks": [{"label": "...", "code": "...", "min_versions": {"numpy": "2.1"}}, ...]}

The chunks (a page's code blocks, a notebook's code cells) run in order in one
``__main__`` namespace, as pasted into one fresh session. A chunk whose ``min_versions``
are newer than the installed distributions does not run (``not_applicable``). With
``"stop"`` nothing runs after the first exception (later chunks are ``not_run``); with
``"continue"`` every later statement still runs and is marked ``after_error``, so a
caller never counts what it did as a behaviour (it may be a side effect of the failure).

Per chunk the report has ``statements``: ``first``/``last`` (1-based lines in the
chunk), ``stdout``, ``stderr``, ``error`` (``{"line", "type", "message", "traceback"}``
or null) and ``after_error``; and ``error``, the chunk's first exception. Comparing the
printed text with what the page shows is left to the caller (the harness's rules).

With ``record_reads`` the report also has ``read``: ``cwd``, and the absolute paths of
the files the run ``opened`` to read and ``written`` (an audit hook sees every open)
and of the ``modules`` loaded at its end (this process's own): what a cache of the
report must key on.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.util
import io
import json
import os
import platform
import re
import sys
import time
import traceback
from importlib import metadata


def release(text: str) -> tuple[int, ...]:
    """``"2.7.1+cpu"`` -> ``(2, 7, 1)``: the numeric release, local and pre-release tags dropped."""
    return tuple(
        int(part)
        for part in re.findall(r"\d+", text.split("+")[0].split("a")[0].split("rc")[0])[
            :3
        ]
    )


def installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def _applies(chunk: dict) -> bool:
    for name, minimum in (chunk.get("min_versions") or {}).items():
        if release(installed(name) or "0") < release(minimum):
            return False
    return True


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


def _error(error: BaseException, label: str, fallback_line: int) -> dict:
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if frame.filename != __file__
    ]
    return {
        # The top-level statement's line (the outermost frame of this chunk), not a line inside a function it called.
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
    """Run one chunk's statements; ``after_error``: an exception was raised earlier in the session;
    ``stop``: run nothing after an exception."""
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
    for node in tree.body:
        first = _first_line(node)
        statement = {
            "first": first,
            "last": node.end_lineno or node.lineno,
            "error": None,
            "after_error": after_error,
        }
        printed, warned = io.StringIO(), io.StringIO()
        try:
            compiled = compile(
                ast.Module(body=[node], type_ignores=[]),
                label,
                "exec",
                dont_inherit=True,
            )
            with (
                contextlib.redirect_stdout(printed),
                contextlib.redirect_stderr(warned),
            ):
                exec(compiled, namespace)
        except BaseException as error:  # noqa: BLE001 - a reader's session shows any exception
            statement["error"] = _error(error, label, first)
            report["error"] = report["error"] or statement["error"]
            after_error = True
        statement["stdout"], statement["stderr"] = printed.getvalue(), warned.getvalue()
        report["statements"].append(statement)
        if after_error and stop:
            break
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


def _record_reads() -> dict:
    """Start recording the files this process opens (see the module's docstring)."""
    read = {"cwd": os.getcwd(), "opened": set(), "written": set(), "modules": []}
    writing = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC

    def hook(event: str, args: tuple) -> None:
        if event == "open" and not isinstance(args[0], int):
            path, mode, flags = args
            written = (
                any(letter in mode for letter in "wax+")
                if isinstance(mode, str)
                else bool((flags or 0) & writing)
            )
            kind = "written" if written else "opened"
            read[kind].add(os.path.abspath(os.fsdecode(path)))

    sys.addaudithook(hook)
    return read


def _reads_done(read: dict) -> dict:
    modules = (getattr(m, "__file__", None) for m in list(sys.modules.values()))
    read["modules"] = sorted(f for f in modules if isinstance(f, str))
    return {
        key: sorted(value) if isinstance(value, set) else value
        for key, value in read.items()
    }


def run_program(program: dict) -> dict:
    started = time.perf_counter()
    read = _record_reads() if program.get("record_reads") else None
    stop = program.get("after_error", "stop") == "stop"
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    chunks, failed = [], False
    for chunk in program["chunks"]:
        label = chunk["label"]
        if not _applies(chunk):
            chunks.append(
                {
                    "label": label,
                    "statements": [],
                    "error": None,
                    "not_applicable": True,
                }
            )
        elif failed and stop:
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
        **({"read": _reads_done(read)} if read is not None else {}),
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
