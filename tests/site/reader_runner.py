"""Run code as a reader would, one top-level statement at a time, and write a JSON report.

Standalone and stdlib-only, so it runs in any interpreter (a bare venv with only torch,
numpy and matplotlib; another torch version): it imports nothing from the project.

    python -I reader_runner.py program.json report.json

``program.json``: ``{"name": "...", "chunks": [{"label": "...", "code": "..."}, ...]}``.
The chunks (a page's code blocks, or a notebook's code cells) run in order in one
``__main__`` namespace, as pasted into one fresh session. The report records, per chunk,
what each top-level statement printed (``first``/``last``: its 1-based lines in the chunk)
and the first exception, after which nothing more runs. Comparing the printed text with
what the page shows is left to the caller (the project's own comparison rules).
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


def _versions() -> dict:
    found = {}
    for name in ("torch", "numpy", "matplotlib"):
        module = sys.modules.get(name)
        found[name] = getattr(module, "__version__", None) if module else None
    return found


def _first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", None)
    return decorators[0].lineno if decorators else node.lineno


def run_chunk(label: str, code: str, namespace: dict) -> dict:
    report = {"label": label, "statements": [], "error": None, "seconds": 0.0}
    started = time.perf_counter()
    try:
        tree = ast.parse(code, filename=label)
    except SyntaxError as error:
        report["error"] = {"line": error.lineno or 1, "type": "SyntaxError", "message": str(error), "traceback": ""}
        return report
    for node in tree.body:
        first, last = _first_line(node), node.end_lineno or node.lineno
        printed, warned = io.StringIO(), io.StringIO()
        statement = {"first": first, "last": last, "stdout": "", "stderr": ""}
        report["statements"].append(statement)
        try:
            compiled = compile(ast.Module(body=[node], type_ignores=[]), label, "exec", dont_inherit=True)
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(warned):
                exec(compiled, namespace)
        except BaseException as error:  # noqa: BLE001 - a reader's session shows any exception
            statement["stdout"], statement["stderr"] = printed.getvalue(), warned.getvalue()
            frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename != __file__]
            report["error"] = {
                "line": next((f.lineno for f in frames if f.filename == label), first),
                "type": type(error).__name__,
                "message": str(error),
                "traceback": "".join(traceback.format_list(frames))
                + "".join(traceback.format_exception_only(type(error), error)),
            }
            break
        statement["stdout"], statement["stderr"] = printed.getvalue(), warned.getvalue()
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


def run_program(program: dict) -> dict:
    started = time.perf_counter()
    namespace = {"__name__": "__main__", "__builtins__": __builtins__}
    chunks, failed = [], False
    for chunk in program["chunks"]:
        if failed:
            chunks.append({"label": chunk["label"], "statements": [], "error": None, "not_run": True})
            continue
        chunks.append(run_chunk(chunk["label"], chunk["code"], namespace))
        failed = chunks[-1]["error"] is not None
    return {
        "name": program.get("name", ""),
        "python": platform.python_version(),
        "executable": sys.executable,
        "versions": _versions(),
        # What a reader's interpreter must not see: the project and its repository.
        "importable": {name: importlib.util.find_spec(name) is not None for name in ("snippets", "executable_docs")},
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
