"""Run one page's shown code to the end, as a reader would, and write a JSON report.

Standalone and stdlib-only (it runs in a bare venv holding only some torch release and
numpy); it imports nothing from the project. Unlike tests/site/reader_runner.py, which
stops at the first exception (what a reader sees), it goes on after one: every later
top-level statement still runs, in the same namespace, and is marked ``after_error`` so a
caller never counts what it did as a behaviour of that release (it may be a side effect
of the earlier failure). A chunk that declares ``min_torch`` newer than the installed
torch is not run at all and is reported ``not_applicable``.

    python -I runner.py program.json report.json

``program.json``: ``{"name": "...", "chunks": [{"label": "...", "code": "...",
"min_torch": "2.7" | null}, ...]}``. The report has, per chunk, per top-level
statement: ``first``/``last`` (1-based lines in the chunk), ``stdout``, ``error``
(``{"line", "type", "message"}`` or null) and ``after_error``.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import platform
import re
import sys
import time
import traceback
from importlib import metadata


def release(text: str) -> tuple[int, ...]:
    """``"2.7.1+cpu"`` -> ``(2, 7, 1)``: the numeric release, local and pre-release tags dropped."""
    return tuple(int(part) for part in re.findall(r"\d+", text.split("+")[0].split("a")[0].split("rc")[0])[:3])


def _installed(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def run_program(program: dict) -> dict:
    started = time.perf_counter()
    torch_version = _installed("torch") or "0"
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    chunks, failed = [], False
    for chunk in program["chunks"]:
        label, code = chunk["label"], chunk["code"]
        minimum = chunk.get("min_torch")
        if minimum and release(torch_version) < release(minimum):
            chunks.append({"label": label, "not_applicable": True, "statements": []})
            continue
        report = {"label": label, "statements": []}
        chunks.append(report)
        try:
            tree = ast.parse(code, filename=label)
        except SyntaxError as error:
            report["statements"].append(
                {"first": error.lineno or 1, "last": error.lineno or 1, "stdout": "", "after_error": failed,
                 "error": {"line": error.lineno or 1, "type": "SyntaxError", "message": str(error)}}
            )
            failed = True
            continue
        for node in tree.body:
            decorators = getattr(node, "decorator_list", None)
            first = decorators[0].lineno if decorators else node.lineno
            statement = {"first": first, "last": node.end_lineno or node.lineno, "after_error": failed, "error": None}
            printed = io.StringIO()
            try:
                compiled = compile(ast.Module(body=[node], type_ignores=[]), label, "exec", dont_inherit=True)
                with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
                    exec(compiled, namespace)
            except BaseException as error:  # noqa: BLE001 - a reader's session shows any exception
                frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == label]
                statement["error"] = {
                    "line": frames[-1].lineno if frames else first,
                    "type": type(error).__name__,
                    "message": str(error).strip().splitlines()[0][:300] if str(error).strip() else "",
                }
                failed = True
            statement["stdout"] = printed.getvalue()
            report["statements"].append(statement)
    return {
        "name": program.get("name", ""),
        "python": platform.python_version(),
        "versions": {name: _installed(name) for name in ("torch", "numpy")},
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
        json.dump(report, stream)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
