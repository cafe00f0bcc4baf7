"""pytest plugin: every Python block of every page is a test, run as the site shows it.

pytest-markdown-docs collects the blocks and makes the test items. This plugin
extends it through its hooks:

* ``pytest_markdown_docs_markdown_it`` gives it a parser that finds fences inside
  admonitions, collapsible blocks and content tabs, and rejects unknown options;
* a runner (registered as the default) runs each block through the page's
  ``PageRun``: snippets expanded by pymdownx.snippets, blocks in page order in
  one namespace, each once, every ``#>`` output checked;
* items are grouped per page for pytest-xdist (``--dist=loadgroup``).

Only pages under mkdocs' ``docs_dir`` are collected, and collecting reads
Markdown only: nothing from ``snippets/`` is imported or run until a test runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from pytest_markdown_docs.plugin import MarkdownTextFile

# A private module of pytest-markdown-docs: the version is pinned in pyproject.toml
# and tests/harness/test_pytest_markdown_docs_contract.py checks what we rely on.
from pytest_markdown_docs._runners import DefaultRunner, register_runner

from executable_docs.execution import ExecutionFailure
from executable_docs.markdown_blocks import FenceError, PageParser, find_python_blocks
from executable_docs.page_runs import EarlierBlockFailed, find_config, page_run
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SnippetError

CLEAR_FAILURES = (ExecutionFailure, SnippetError, FenceError)


@register_runner(default=True)
class PageOrderRunner(DefaultRunner):
    """Runs a block as part of its page instead of on its own."""

    def runtest(self, test, args, **_) -> None:
        try:
            page_run(Path(test.source_path)).run_through(test.start_line)
        except EarlierBlockFailed as reason:
            pytest.skip(str(reason))

    def repr_failure(self, test, excinfo, style=None):
        if isinstance(excinfo.value, CLEAR_FAILURES):
            return str(excinfo.value)
        return super().repr_failure(test, excinfo, style)


class DocsPage(MarkdownTextFile):
    """A page of the site: its Python blocks become tests, grouped to run on one worker."""

    def collect(self):
        try:
            items = list(super().collect())
        except FenceError as error:
            raise self.CollectError(str(error.on_page(Path(self.nodeid)))) from None
        for item in items:
            item.add_marker(pytest.mark.xdist_group(name=self.nodeid))
        return items


def pytest_configure(config: pytest.Config) -> None:
    if config.option.markdowndocs:
        raise pytest.UsageError(
            "executable-docs collects the pages under mkdocs' docs_dir itself; drop --markdown-docs, "
            "which would also import every .py file it is given to look for docstrings"
        )


def pytest_collect_file(file_path: Path, parent: pytest.Collector):
    if file_path.suffix != ".md":
        return None
    config_file = find_config(file_path)
    if config_file is None or not load_project(config_file).is_page(file_path):
        return None
    return DocsPage.from_parent(parent, path=file_path)


@pytest.hookimpl(tryfirst=True)
def pytest_markdown_docs_markdown_it():
    return PageParser()


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:
    """Say how many blocks ran and list every block marked ``notest``."""
    pages = sorted(
        {
            Path(config.rootpath, report.nodeid.split("::")[0])
            for reports in terminalreporter.stats.values()
            for report in reports
            if getattr(report, "when", None) == "call" and ".md::" in getattr(report, "nodeid", "")
        }
    )
    if not pages:
        return
    executed, skipped = 0, []
    for page in pages:
        for block in find_python_blocks(page):
            if block.skipped:
                skipped.append(block)
            else:
                executed += 1
    terminalreporter.write_sep("-", "executable docs")
    terminalreporter.write_line(
        f"{len(pages)} pages, {executed} Python blocks executed, {len(skipped)} marked notest (not executed)"
    )
    for block in skipped:
        terminalreporter.write_line(f"  notest: {block.page.relative_to(config.rootpath)}:{block.line}")
