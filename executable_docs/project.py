"""The docs project as mkdocs sees it: where pages live, how snippets are included."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mkdocs.utils.yaml import yaml_load

SNIPPETS_EXTENSION = "pymdownx.snippets"
CONFIG_FILE = "mkdocs.yml"


@dataclass(frozen=True)
class DocsProject:
    """Settings read from ``mkdocs.yml``: the tests use exactly what the build uses."""

    config_file: Path
    docs_dir: Path
    snippet_config: dict[str, Any]
    # Where the site is published (`mkdocs serve` changes config.site_url, not this).
    site_url: str = ""

    @property
    def root(self) -> Path:
        return self.config_file.parent

    def pages(self) -> list[Path]:
        return sorted(self.docs_dir.rglob("*.md"))

    def is_page(self, path: Path) -> bool:
        return path.suffix == ".md" and path.resolve().is_relative_to(self.docs_dir)

    def relative(self, path: Path) -> Path:
        """A path as a reader of the repository names it (relative to the root)."""
        try:
            return Path(path).resolve().relative_to(self.root)
        except ValueError:
            return Path(path)


@functools.cache
def load_project(config_file: Path) -> DocsProject:
    config_file = config_file.resolve()
    with config_file.open(encoding="utf-8") as stream:
        config = yaml_load(stream)
    snippet_config = None
    for entry in config.get("markdown_extensions", []):
        name, settings = (
            next(iter(entry.items())) if isinstance(entry, dict) else (entry, {})
        )
        if name == SNIPPETS_EXTENSION:
            snippet_config = dict(settings or {})
    if snippet_config is None:
        raise ValueError(
            f"{config_file}: markdown_extensions has no {SNIPPETS_EXTENSION} entry"
        )
    # mkdocs resolves base_path against the directory it runs in: the project root.
    base = snippet_config.get("base_path", ["."])
    base = [base] if isinstance(base, str) else base
    snippet_config["base_path"] = [str(config_file.parent / path) for path in base]
    docs_dir = config_file.parent / config.get("docs_dir", "docs")
    return DocsProject(
        config_file, docs_dir.resolve(), snippet_config, config.get("site_url") or ""
    )


def rendered_page(md, root: Path) -> Path | None:
    """The source file of the page a Python-Markdown instance is rendering.

    Under MkDocs or Zensical. MkDocs registers its ``relpath`` treeprocessor, which
    holds the page's file, before it converts a page; Zensical registers a
    ``rendering_context`` preprocessor holding the page
    (zensical/extensions/context.py, 0.1.x), whose path is relative to the docs folder.
    None under any other caller (Markdown run on its own).
    """
    if "relpath" in md.treeprocessors:
        source = getattr(
            getattr(md.treeprocessors["relpath"], "file", None), "abs_src_path", None
        )
        return Path(source) if source else None
    if "rendering_context" in md.preprocessors:
        path = getattr(
            getattr(md.preprocessors["rendering_context"], "page", None), "path", None
        )
        if path:
            return load_project(Path(root) / CONFIG_FILE).docs_dir / path
    return None
