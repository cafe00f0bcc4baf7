"""mkdocs hook: every formula of a page renders, or the build fails naming it.

The error names the page, the line and the formula. The hook runs before the
other hooks (listed first in mkdocs.yml) and reads the page's source file, so
line numbers are the ones an author sees: no unknown TeX macro, no TeX syntax
error (site_build.mathml). (Includes are checked by the
``executable_docs.safe_includes`` Markdown extension, which both builders run.)
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.exceptions import PluginError

from site_build.mathml import MathError, check_formulas


def on_page_markdown(markdown: str, page, config, files) -> str:
    if not page.file.abs_src_path or not page.file.src_uri.endswith(".md"):
        # Generated pages and notebooks: their sources are checked where they come from.
        return markdown
    source = Path(page.file.abs_src_path)
    root = Path(config.config_file_path).parent
    where = source.resolve().relative_to(root.resolve()).as_posix()
    try:
        check_formulas(source.read_text(encoding="utf-8"), where)
    except MathError as error:
        raise PluginError(str(error)) from None
    return markdown
