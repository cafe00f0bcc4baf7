"""mkdocs hook: checks of a page's own Markdown that must fail the build naming page and line.

Runs before the other hooks (listed first in mkdocs.yml) and reads the page's
source file, so line numbers are the ones an author sees:

* every ``--8<--`` include names a file under ``snippets/`` (executable_docs.safe_includes);
* every formula renders: no unknown TeX macro, no TeX syntax error (site_build.math).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from site_build.math import MathError, check_formulas
from executable_docs.safe_includes import IncludeError, check_includes


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.file.abs_src_path or not page.file.src_uri.endswith(".md"):
        return markdown  # generated pages and notebooks: their sources are checked where they come from
    source = Path(page.file.abs_src_path)
    root = Path(config.config_file_path).parent
    where = source.resolve().relative_to(root.resolve()).as_posix()
    text = source.read_text(encoding="utf-8")
    try:
        check_includes(text.splitlines(), where, root)
        check_formulas(text, where)
    except (IncludeError, MathError) as error:
        raise PluginError(str(error)) from None
    return markdown
