"""Only files under ``snippets/`` can be included into a page, in the tests and in the build.

pymdownx.snippets checks an include's path as written against its base path
(the whole checkout here), not the file it resolves to: a symlink under
``snippets/`` pointing elsewhere, ``--8<-- ".git/config"`` or
``--8<-- ".venv/pyvenv.cfg"`` would be published. Here an include must be a
relative path inside ``snippets/`` with no ``..``, and its resolved path (every
symlink followed) must lie inside the resolved ``snippets/`` too; the same
holds for includes nested in an included file. Anything else is an error
naming the page and line.

Used by the pytest collection (executable_docs.pytest_plugin), by the tests'
snippet expansion, by the build's hook (site_build.build_checks), and as a
Markdown extension registered before pymdownx.snippets (``executable_docs.safe_includes``
in mkdocs.yml), which guards every include the build expands.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path, PurePosixPath

from markdown import Extension
from markdown.preprocessors import Preprocessor
from pymdownx.snippets import SnippetPreprocessor

ALLOWED_FOLDER = "snippets"
# pymdownx.snippets registers its preprocessor at priority 32: run just before it.
PRIORITY = 33


class IncludeError(ValueError):
    """An include of a file outside snippets/."""


def include_problem(spec: str, root: Path) -> str | None:
    """Why the include ``spec`` (as written after ``--8<--``, section allowed) is refused, or None."""
    match = SnippetPreprocessor.RE_SNIPPET_FILE.match(spec.strip())
    written = match.group(1).strip() if match else spec.strip()
    path = PurePosixPath(written)
    if path.is_absolute() or written.startswith(("~", "\\")) or (len(written) > 1 and written[1] == ":"):
        return f"{written!r} is an absolute path; include files by their path under {ALLOWED_FOLDER}/"
    if ".." in path.parts:
        return f"{written!r} contains '..'; include files by their path under {ALLOWED_FOLDER}/"
    if not path.parts or path.parts[0] != ALLOWED_FOLDER:
        return f"{written!r} is not under {ALLOWED_FOLDER}/: only files under {ALLOWED_FOLDER}/ can be included"
    allowed = (root / ALLOWED_FOLDER).resolve()
    resolved = (root / path).resolve()
    if not resolved.is_relative_to(allowed):
        return f"{written!r} resolves to {resolved}, outside {ALLOWED_FOLDER}/ (a symlink): it cannot be included"
    return None


def include_specs(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """(1-based line, path as written) of every include in ``lines``, inline or in a block."""
    block = False
    for number, line in enumerate(lines, start=1):
        match = SnippetPreprocessor.RE_ALL_SNIPPETS.match(line)
        if match:
            if match.group("escape"):
                continue
            if match.group("inline_marker"):
                yield number, match.group("snippet")[1:-1].strip()
            else:
                block = not block
            continue
        if block and line.strip() and not line.strip().startswith(";"):
            yield number, line.strip()


def check_includes(lines: list[str], where: str, root: Path, _seen: frozenset[Path] = frozenset()) -> None:
    """Raise IncludeError, naming ``where`` and the line, for the first include that is refused.

    ``where`` is the page as a path (``docs/page.md``: the error says ``docs/page.md:12``).
    Includes nested in an included file are checked too (the message names both places).
    """
    for number, spec in include_specs(lines):
        problem = include_problem(spec, root)
        if problem:
            raise IncludeError(f"{where}:{number}: {problem}")
        match = SnippetPreprocessor.RE_SNIPPET_FILE.match(spec)
        target = (root / match.group(1).strip()).resolve()
        if target.is_file() and target not in _seen:
            text = target.read_text(encoding="utf-8", errors="replace").splitlines()
            nested_where = f"{where}:{number}, which includes {target.relative_to(root.resolve())}"
            check_includes(text, nested_where, root, _seen | {target})


class _SafeIncludesPreprocessor(Preprocessor):
    def __init__(self, md, root: Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        check_includes(lines, "the page's Markdown (after the hooks), line", self.root)  # mkdocs names the page
        return lines


class SafeIncludesExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {"root": [".", "The project root, holding snippets/ (relative to the working directory)"]}
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's API)
        root = Path(self.getConfig("root")).resolve()
        md.preprocessors.register(_SafeIncludesPreprocessor(md, root), "safe_includes", PRIORITY)


def makeExtension(**kwargs) -> SafeIncludesExtension:  # noqa: N802 (Python-Markdown's API)
    return SafeIncludesExtension(**kwargs)
