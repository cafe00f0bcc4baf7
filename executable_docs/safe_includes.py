"""Only files under ``snippets/`` can be included into a page, in tests and build.

pymdownx.snippets checks an include's path as written against its base path
(the whole checkout here), not the file it resolves to: a symlink under
``snippets/`` pointing elsewhere, ``--8<-- ".git/config"`` or
``--8<-- ".venv/pyvenv.cfg"`` would be published. Here an include must be a
relative path inside ``snippets/`` with no ``..``, and its resolved path (every
symlink followed) must lie inside the resolved ``snippets/`` too; the same
holds for includes nested in an included file. Anything else is an error
naming the page and line.

``check_includes`` runs in the pytest collection (executable_docs.pytest_plugin)
and, in a build, in this module's Markdown extension, registered before
pymdownx.snippets in ``mkdocs.yml`` (``executable_docs.safe_includes``): MkDocs and
Zensical both run it on every page, so it guards every include a build expands, and
names the page and the line of its source (the build's hooks may have added lines
above). The tests' snippet expansion refuses the same includes (``include_problem``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path, PurePosixPath

from markdown import Extension
from markdown.preprocessors import Preprocessor
from mkdocs.exceptions import PluginError
from pymdownx.snippets import SnippetPreprocessor

from executable_docs.project import rendered_page

ALLOWED_FOLDER = "snippets"
# pymdownx.snippets registers its preprocessor at priority 32: run just before it.
PRIORITY = 33


class IncludeError(PluginError):
    """An include of a file outside snippets/.

    A PluginError: mkdocs names the page and shows no traceback.
    """


def include_problem(spec: str, root: Path) -> str | None:
    """Why the include ``spec`` is refused, or None.

    ``spec`` is as written after ``--8<--``, a section allowed.
    """
    match = SnippetPreprocessor.RE_SNIPPET_FILE.match(spec.strip())
    written = match.group(1).strip() if match else spec.strip()
    path = PurePosixPath(written)
    by_path = f"include files by their path under {ALLOWED_FOLDER}/"
    if (
        path.is_absolute()
        or written.startswith(("~", "\\"))
        or (len(written) > 1 and written[1] == ":")
    ):
        return f"{written!r} is an absolute path; {by_path}"
    if ".." in path.parts:
        return f"{written!r} contains '..'; {by_path}"
    if not path.parts or path.parts[0] != ALLOWED_FOLDER:
        return (
            f"{written!r} is not under {ALLOWED_FOLDER}/: "
            f"only files under {ALLOWED_FOLDER}/ can be included"
        )
    allowed = (root / ALLOWED_FOLDER).resolve()
    resolved = (root / path).resolve()
    if not resolved.is_relative_to(allowed):
        return (
            f"{written!r} resolves to {resolved}, outside {ALLOWED_FOLDER}/ "
            "(a symlink): it cannot be included"
        )
    return None


def include_specs(lines: Iterable[str]) -> Iterable[tuple[int, str]]:
    """(1-based line, path as written) of each include in ``lines``, inline or block."""
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


def check_includes(
    lines: list[str],
    where: str,
    root: Path,
    locate: Callable[[int], str] | None = None,
    _seen: frozenset[Path] = frozenset(),
) -> None:
    """Raise IncludeError for the first include that is refused, naming where and line.

    ``where`` is the page as a path (``docs/page.md``: the error says
    ``docs/page.md:12``); ``locate`` names a line otherwise. Includes nested in an
    included file are checked too (the message names both places).
    """
    name = locate or (lambda number: f"{where}:{number}")
    for number, spec in include_specs(lines):
        problem = include_problem(spec, root)
        if problem:
            raise IncludeError(f"{name(number)}: {problem}")
        match = SnippetPreprocessor.RE_SNIPPET_FILE.match(spec)
        target = (root / match.group(1).strip()).resolve()
        if target.is_file() and target not in _seen:
            text = target.read_text(encoding="utf-8", errors="replace").splitlines()
            nested_where = (
                f"{name(number)}, which includes {target.relative_to(root.resolve())}"
            )
            check_includes(text, nested_where, root, _seen=_seen | {target})


class _SafeIncludesPreprocessor(Preprocessor):
    def __init__(self, md, root: Path) -> None:
        super().__init__(md)
        self.root = root

    def run(self, lines: list[str]) -> list[str]:
        check_includes(lines, "", self.root, self._locator(lines))
        return lines

    def _locator(self, lines: list[str]) -> Callable[[int], str]:
        """Names a line of the Markdown being rendered by its page's file and line."""
        page = rendered_page(self.md, self.root)
        if page is None:
            return lambda number: f"line {number} of the page's Markdown"
        root, source = self.root.resolve(), page.resolve()
        where = (
            source.relative_to(root).as_posix()
            if source.is_relative_to(root)
            else str(page)
        )
        source_lines: dict[str, int] = {}
        for number, text in enumerate(
            page.read_text(encoding="utf-8").splitlines(), start=1
        ):
            source_lines.setdefault(text, number)

        def locate(number: int) -> str:
            text = lines[number - 1]
            if text in source_lines:
                return f"{where}:{source_lines[text]}"
            return f"{where} (line {number} of its Markdown after the build's hooks)"

        return locate


class SafeIncludesExtension(Extension):
    def __init__(self, **kwargs) -> None:
        self.config = {
            "root": [
                ".",
                (
                    "The project root, holding snippets/ "
                    "(relative to the working directory)"
                ),
            ]
        }
        super().__init__(**kwargs)

    def extendMarkdown(self, md) -> None:
        root = Path(self.getConfig("root")).resolve()
        md.preprocessors.register(
            _SafeIncludesPreprocessor(md, root), "safe_includes", PRIORITY
        )


def makeExtension(**kwargs) -> SafeIncludesExtension:
    return SafeIncludesExtension(**kwargs)
