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
     "record_reads": true,                # optional: report what the run read
     "chunks": [{"label": "...", "code": "..."}, ...]}

The chunks (a page's code blocks, a notebook's code cells) run in order in one
``__main__`` namespace, as pasted into one fresh session (what a release cannot run,
the caller leaves out of the program: matrix/pages.py). With ``"stop"`` nothing runs
after the first exception (later chunks are ``not_run``); with ``"continue"`` every
later statement still runs and is marked ``after_error``, and the caller decides what
of it counts (the matrix: what does not use what the failure made).

Per chunk the report has ``statements``: ``first``/``last`` (1-based lines in the
chunk), ``stdout``, ``stderr``, ``error`` (``{"line", "type", "message", "traceback"}``
or null) and ``after_error``; ``error``, the chunk's first exception; and
``assertions``: for each assertion of the chunk (an ``assert``, or a statement that
only calls an ``assert*`` function, at any depth), by its first line (a string), what
became of it: ``passed`` (it ran to its end, before any exception of the session),
``failed`` (it raised AssertionError), ``raised`` (its expression raised something
else), ``after_error`` (it ran only after an earlier exception) or ``not_run`` (never
ran to its end: not reached, or in a function nobody called). A behaviour holds only
when its assertion is ``passed``. (Added to the format for issue 20; every earlier
field is unchanged. A chunk that did not run has no ``assertions``.) Comparing the
printed text with what the page shows is left to the caller (the harness's rules).

With ``record_reads`` the report also has ``read``: ``cwd``, and the absolute paths of
the files the run ``opened`` to read and ``written`` (an audit hook sees every open)
and of the ``modules`` loaded at its end (this process's own): what a cache of the
report must key on.

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
import os
import platform
import sys
import time
import traceback
import types
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


# The one name a runner adds to the session's namespace: the recorder the instrumented
# code calls after each assertion that ran and passed.
RECORDER = "__assertion_passed__"
# What became of an assertion in a session (the report's per-chunk ``assertions``).
PASSED = "passed"  # it ran and passed, before any exception in the session
FAILED = "failed"  # it raised AssertionError (at least once), before any exception
RAISED = "raised"  # it raised something else (its expression failed)
AFTER_ERROR = "after_error"  # it ran only after an earlier exception: not counted
NOT_RUN = "not_run"  # it never ran to its end: not reached, or in code never called


def is_assertion(node: ast.AST) -> bool:
    """An ``assert`` statement, or a statement that is only a call of a function whose
    name starts with ``assert`` (``torch.testing.assert_close(...)``,
    ``numpy.testing.assert_allclose(...)``)."""
    if isinstance(node, ast.Assert):
        return True
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return False
    function = node.value.func
    if isinstance(function, ast.Attribute):
        return function.attr.startswith("assert")
    return isinstance(function, ast.Name) and function.id.startswith("assert")


class VacuousAssertion(Exception):
    """An assertion that cannot fail as written, so it checks nothing."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"the assertion {reason}")
        self.line, self.reason = line, reason


def _same(left: ast.AST, right: ast.AST) -> bool:
    return ast.dump(left) == ast.dump(right)


def vacuous(node: ast.stmt) -> str | None:
    """Why the assertion ``node`` can never fail, as written; None if it can."""
    if isinstance(node, ast.Assert):
        test = node.test
        if isinstance(test, ast.Tuple) and test.elts:
            return "tests a tuple, which is always true (write: assert test, message)"
        if isinstance(test, ast.Constant):
            return "tests a constant, which never changes"
        if (
            isinstance(test, ast.Compare)
            and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq | ast.Is | ast.LtE | ast.GtE)
            and _same(test.left, test.comparators[0])
        ):
            return "compares an expression with itself"
        return None
    if not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)):
        return None  # callers pass assertions only (is_assertion)
    arguments = node.value.args  # an assert* call
    if len(arguments) >= 2 and _same(arguments[0], arguments[1]):
        return "compares an expression with itself"
    return None


# What an assertion's test may not be: an object that is true whatever the code does.
_ALWAYS_TRUE = (
    types.FunctionType,
    types.BuiltinFunctionType,
    types.MethodType,
    types.BuiltinMethodType,
    type,
)


class Assertions:
    """Every assertion of a session's code, and what became of each when it ran.

    ``instrument`` puts a call of ``RECORDER`` after each assertion of a statement, at
    any depth (in a function, a loop, a branch), so an assertion counts only once it
    has run and passed; the namespace the code runs in holds ``record`` under that
    name. It raises VacuousAssertion for an assertion that cannot fail as written, and
    an ``assert``'s test goes through ``record`` too, which refuses a function object
    (``assert torch.allclose`` is always true). ``blame`` marks the assertion an
    exception came from.
    """

    def __init__(self) -> None:
        self.sites: list[tuple[Any, int, int]] = []  # (where, first line, last line)
        self.outcomes: dict[int, str] = {}  # by site: PASSED, FAILED, RAISED, ...
        self.after_error = False  # the session has raised: what runs now is not counted

    def instrument(self, node: ast.stmt, where: Any) -> ast.Module:
        """A module of the statement ``node`` that records each of its assertions."""
        module = ast.Module(body=[node], type_ignores=[])
        # ast.walk queues a node's children before it yields the node: the calls put
        # into its bodies here are never walked themselves.
        for parent in ast.walk(module):
            for field, value in ast.iter_fields(parent):
                if isinstance(value, list) and any(is_assertion(s) for s in value):
                    setattr(parent, field, self._recorded(value, where))
        return module

    def _recorded(self, body: list[ast.stmt], where: Any) -> list[ast.stmt]:
        out = []
        for statement in body:
            out.append(statement)
            if is_assertion(statement):
                if reason := vacuous(statement):
                    raise VacuousAssertion(statement.lineno, reason)
                site = len(self.sites)
                last = statement.end_lineno or statement.lineno
                self.sites.append((where, statement.lineno, last))
                record = ast.Expr(self._call(site))
                if isinstance(statement, ast.Assert):
                    statement.test = self._call(site, statement.test)
                for made in (*ast.walk(record), *ast.walk(statement)):
                    if not hasattr(made, "lineno") and "lineno" in made._attributes:
                        ast.copy_location(made, statement)
                out.append(record)
        return out

    @staticmethod
    def _call(site: int, *tested: ast.expr) -> ast.Call:
        name = ast.Name(RECORDER, ast.Load())
        return ast.Call(name, [ast.Constant(site), *tested], [])

    def record(self, site: int, *tested: Any) -> Any:
        """Called with an ``assert``'s tested value (returned as it is), then once the
        assertion has passed."""
        if tested:
            if isinstance(tested[0], _ALWAYS_TRUE):
                line = self.sites[site][1]
                what = type(tested[0]).__name__
                raise VacuousAssertion(
                    line, f"tests a {what} object, always true: call it"
                )
            return tested[0]
        if self.after_error:
            self.outcomes.setdefault(site, AFTER_ERROR)
        elif self.outcomes.get(site) not in (FAILED, RAISED):
            self.outcomes[site] = PASSED

    def blame(self, error: BaseException, where_of: Callable[[str], Any]) -> None:
        """Mark the assertion ``error`` was raised in (its innermost frame of the
        session's code, ``where_of`` naming the code a file name stands for)."""
        for frame in reversed(traceback.extract_tb(error.__traceback__)):
            where = where_of(frame.filename)
            if where is None:
                continue
            for site, (place, first, last) in enumerate(self.sites):
                if place == where and first <= (frame.lineno or 0) <= last:
                    if self.after_error:
                        self.outcomes.setdefault(site, AFTER_ERROR)
                    else:
                        failed = isinstance(error, AssertionError)
                        self.outcomes[site] = FAILED if failed else RAISED
            return

    def outcomes_of(self, where: Any) -> dict[int, str]:
        """First line -> what became of it, for each assertion of ``where``."""
        return {
            first: self.outcomes.get(site, NOT_RUN)
            for site, (place, first, _) in enumerate(self.sites)
            if place == where
        }


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
    label: str,
    code: str,
    namespace: dict,
    *,
    after_error: bool,
    stop: bool,
    assertions: Assertions | None = None,
    where_of: Callable[[str], Any] | None = None,
) -> dict:
    """Run one chunk's statements; ``after_error``: an exception was raised earlier in
    the session; ``stop``: run nothing after an exception. ``assertions`` records the
    chunk's assertions (by ``label``), ``where_of`` names the chunk of a file name."""
    assertions = assertions or Assertions()
    assertions.after_error = after_error
    namespace[RECORDER] = assertions.record
    statements: list[dict] = []
    report: dict[str, Any] = {"label": label, "statements": statements, "error": None}
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
        statements.append(
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
        module = assertions.instrument(node, label)
        # optimize=0: `python -O` would drop every assert and record it as passed.
        return compile(module, label, "exec", dont_inherit=True, optimize=0)

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
            assertions.blame(ran.error, where_of or {label: label}.get)
            after_error = assertions.after_error = True
        statements.append(statement)
        if after_error and stop:
            break
    report["seconds"] = round(time.perf_counter() - started, 3)
    return report


def _record_reads() -> dict:
    """Start recording the files this process opens (see the module's docstring)."""
    read: dict = {"cwd": os.getcwd(), "opened": set(), "written": set()}
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
    assertions = Assertions()
    labels = {chunk["label"]: chunk["label"] for chunk in program["chunks"]}
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
                    label,
                    chunk["code"],
                    namespace,
                    after_error=failed,
                    stop=stop,
                    assertions=assertions,
                    where_of=labels.get,
                )
            )
            failed = failed or chunks[-1]["error"] is not None
    for chunk in chunks:  # a later chunk may run (call) an earlier chunk's assertions
        found = assertions.outcomes_of(chunk["label"])
        if found or chunk["statements"]:
            chunk["assertions"] = {str(line): state for line, state in found.items()}
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
    python: Path | str,
    program: dict,
    *,
    timeout: float,
    nice: int = 0,
    hash_seed: int | None = None,
) -> dict:
    """Run ``program`` with this file in a fresh process of ``python``; its report.

    The process is isolated (``-I``: no PYTHON* variables, no user site, no script
    folder on the path), works in an empty temporary folder with a reader's shell
    environment, and is niced by ``nice``. With ``hash_seed``, str hashes are seeded
    with it (``PYTHONHASHSEED``: ``-I`` would ignore it, so ``-s -P`` isolate instead,
    in the same environment). The one driver of the reader runs (tests/built_site) and
    the release matrix (matrix/driver.py). Raises RuntimeError when the runner writes
    no report, subprocess.TimeoutExpired after ``timeout`` seconds.
    """
    import subprocess  # here, not at the top: the runner's own process never needs them
    import tempfile

    with tempfile.TemporaryDirectory(prefix="standalone-run-") as folder:
        work = Path(folder)
        (work / "program.json").write_text(json.dumps(program), encoding="utf-8")
        prefix = ["nice", "-n", str(nice)] if nice else []
        env, flags = shell_environment(work), ["-I"]
        if hash_seed is not None:
            env, flags = {**env, "PYTHONHASHSEED": str(hash_seed)}, ["-s", "-P"]
        completed = subprocess.run(
            [*prefix, str(python), *flags, __file__, "program.json", "report.json"],
            check=False,  # a failed run writes its report too; no report is the error
            cwd=work,
            env=env,
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
