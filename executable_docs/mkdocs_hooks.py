"""mkdocs hooks: facts about the build that pages state but nobody types."""

from __future__ import annotations

import re
from importlib.metadata import version

# Pages say "{{ torch_version }}"; the installed torch fills it in at build time.
PLACEHOLDER = re.compile(r"\{\{\s*torch_version\s*\}\}")


def torch_version() -> str:
    """The version of the torch the pages were built and tested with (without the +cpu tag)."""
    return version("torch").split("+")[0]


def on_config(config):
    config.extra["torch_version"] = torch_version()
    return config


def on_page_markdown(markdown: str, page, config, files) -> str:
    return PLACEHOLDER.sub(config.extra["torch_version"], markdown)
