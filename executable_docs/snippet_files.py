"""Whole snippet files: run each as ``python -m`` would, and refresh its ``# >`` lines.

A snippet file is a script a reader can copy into a project. Running it whole,
in a fresh namespace, checks that it stands on its own; its sections are also
run page by page (executable_docs.page_runs). Both checks compare against the
same ``# >`` lines, so a page and its file cannot drift apart.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

from executable_docs import expected_output
from executable_docs.execution import (
    CodeUnit,
    ExecutionFailure,
    StatementResult,
    run_unit,
)
from executable_docs.page_state import PageState
from executable_docs.snippet_expansion import SourceLine

# Deliberately not page_runs.PAGE_SEED: a file that relies on the harness's seed
# instead of seeding its own generator prints other numbers here and fails.
SNIPPET_FILE_SEED = 1


def snippet_files(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*.py") if path.name != "__init__.py")


def dotted_module_name(path: Path, root: Path) -> str:
    """``snippets/a/b.py`` -> ``snippets.a.b``: the name ``python -m`` runs it by."""
    return ".".join(path.resolve().relative_to(root).with_suffix("").parts)


def run_snippet_file(
    path: Path,
    root: Path,
    *,
    check_output: bool = True,
    namespace: dict | None = None,
    keep_going: bool = False,
) -> list[StatementResult]:
    """Run a snippet file top to bottom as ``__main__`` (in ``namespace`` if given) and
    check its ``# >`` lines.

    Its random generators and process-wide settings are its own
    (executable_docs.page_state).
    """
    path = path.resolve()
    relative = path.relative_to(root)
    code = path.read_text(encoding="utf-8")
    origins = tuple(SourceLine(relative, n) for n in range(1, code.count("\n") + 2))
    namespace = {} if namespace is None else namespace
    namespace.update({"__name__": "__main__", "__file__": str(path)})
    with PageState(root, SNIPPET_FILE_SEED).active():
        unit = CodeUnit(str(relative), code, origins)
        return run_unit(
            unit, namespace, root, check_output=check_output, keep_going=keep_going
        )


def refreshed_text(path: Path, results: list[StatementResult]) -> str:
    """The file's text, each ``# >`` block that no longer matches its output redone."""
    lines = path.read_text(encoding="utf-8").split("\n")
    for result in reversed(results):
        statement, printed = result.statement, result.printed
        if result.error is not None:
            continue  # it raised: its '# >' lines stay, and the refresh reports it
        if statement.expected is not None and expected_output.outputs_match(
            statement.expected, printed
        ):
            continue  # within tolerance: leave it, so a refresh only shows real changes
        first_line = lines[statement.first - 1]
        indent = first_line[: len(first_line) - len(first_line.lstrip())]
        new = expected_output.as_output_lines(printed, indent)
        if statement.expected_lines:
            start, end = statement.expected_lines
            lines[start - 1 : end] = new
        else:
            lines[statement.last : statement.last] = new
    return "\n".join(lines)


@dataclass
class Refreshed:
    changed: list[Path] = field(
        default_factory=list
    )  # files whose '# >' lines were rewritten
    raised: list[ExecutionFailure] = field(
        default_factory=list
    )  # statements that raised (run went on)


def refresh(paths: list[Path], root: Path) -> Refreshed:
    """Rewrite the ``# >`` lines of ``paths`` from what the code prints now.

    A statement that raises does not stop the refresh: the file's other statements
    still run and are refreshed, and every failure is reported at the end.
    """
    report = Refreshed()
    for path in paths:
        results = run_snippet_file(path, root, check_output=False, keep_going=True)
        report.raised.extend(
            result.error for result in results if result.error is not None
        )
        text = refreshed_text(path, results)
        if text != path.read_text(encoding="utf-8"):
            path.write_text(text, encoding="utf-8")
            report.changed.append(path)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m executable_docs.snippet_files",
        description="Rewrite the '# >' output lines of snippet files from what their "
        "code prints now.",
    )
    parser.add_argument(
        "paths",
        nargs="*",
        type=Path,
        default=[Path("snippets")],
        help="files or folders",
    )
    args = parser.parse_args(argv)
    root = Path.cwd().resolve()
    files = [
        file
        for path in args.paths
        for file in (snippet_files(path) if path.is_dir() else [path])
    ]
    report = refresh(files, root)
    for path in report.changed:
        print(f"refreshed {path.resolve().relative_to(root)}")
    for failure in report.raised:
        print(f"\nraised (its '# >' lines were left as they were):\n{failure}")
    print(
        f"\n{len(report.changed)} of {len(files)} snippet files changed; review them "
        "with git diff. "
        f"{len(report.raised)} statements raised."
    )
    return 1 if report.raised else 0


if __name__ == "__main__":
    sys.exit(main())
