"""pytest plugin: every Python block of every page is a test, run as the site shows it.

pytest-markdown-docs collects the blocks and makes the test items. This plugin
extends it through its hooks:

* ``pytest_markdown_docs_markdown_it`` gives it a parser that finds fences inside
  admonitions, collapsible blocks and content tabs, and rejects unknown options;
* a runner (registered as the default) runs each block through the page's
  ``PageRun``: snippets expanded by pymdownx.snippets, blocks in page order in
  one namespace, each once, every ``# >`` output checked;
* under pytest-xdist, a page's tests must stay on one worker: ``--dist=loadfile``
  (set in pyproject.toml) sends each page file to a single worker.

Only pages under mkdocs' ``docs_dir`` are collected, and collecting reads
Markdown only: nothing from ``snippets/`` is imported or run until a test runs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

# A private module of pytest-markdown-docs: the version is pinned in pyproject.toml
# and tests/harness/test_pytest_markdown_docs_contract.py checks what we rely on.
from pytest_markdown_docs._runners import DefaultRunner, register_runner
from pytest_markdown_docs.plugin import MarkdownTextFile

from executable_docs.execution import ExecutionFailure
from executable_docs.markdown_blocks import FenceError, PageParser, find_python_blocks
from executable_docs.page_runs import EarlierBlockFailed, find_config, page_run
from executable_docs.page_state import PageStateChanged
from executable_docs.project import load_project
from executable_docs.safe_includes import IncludeError, check_includes
from executable_docs.snippet_expansion import SnippetError

# Failures whose message says everything: shown without a traceback of the harness.
CLEAR_FAILURES = (ExecutionFailure, SnippetError, FenceError, PageStateChanged)


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
    """A page of the site: each of its Python blocks becomes a test."""

    def collect(self):
        project = load_project(find_config(self.path))
        try:
            check_includes(
                self.path.read_text(encoding="utf-8").splitlines(),
                self.nodeid,
                project.root,
            )
            return list(super().collect())
        except FenceError as error:
            raise self.CollectError(str(error.on_page(Path(self.nodeid)))) from None
        except IncludeError as error:
            raise self.CollectError(str(error)) from None


# xdist modes that keep every test of a file on one worker ("no" when xdist is off
# or on a worker).
PAGE_PRESERVING_DIST_MODES = ("no", "loadfile")


def pytest_configure(config: pytest.Config) -> None:
    dist = getattr(config.option, "dist", "no")
    if (
        getattr(config.option, "numprocesses", None)
        and dist not in PAGE_PRESERVING_DIST_MODES
    ):
        # (loadgroup would do too, but pytest 9.2 ignores the node ids xdist 3.8
        # rewrites for it.)
        raise pytest.UsageError(
            f"--dist={dist} would split a page's blocks across workers and run them "
            "more than once; use --dist=loadfile"
        )
    if config.option.markdowndocs:
        raise pytest.UsageError(
            "executable-docs collects the pages under mkdocs' docs_dir itself; "
            "drop --markdown-docs, which would also import every .py file it is "
            "given to look for docstrings"
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
    """Say how many blocks the docs have and list every block marked ``notest``.

    Read from the pages themselves, so the controller of an xdist run (which
    collects nothing) reports the same numbers as a serial run.
    """
    ran_pages = {
        Path(config.rootpath, report.nodeid.split("::")[0])
        for reports in terminalreporter.stats.values()
        for report in reports
        if ".md::" in getattr(report, "nodeid", "")
    }
    config_files = {find_config(page) for page in ran_pages} - {None}
    for project in sorted(
        (load_project(path) for path in config_files), key=lambda p: p.root
    ):
        blocks = [
            block for page in project.pages() for block in find_python_blocks(page)
        ]
        skipped = [block for block in blocks if block.skipped]
        terminalreporter.write_sep("-", "executable docs")
        terminalreporter.write_line(
            f"{len(project.pages())} pages, "
            f"{len(blocks) - len(skipped)} executable Python blocks, "
            f"{len(skipped)} marked notest (never executed)"
        )
        for block in skipped:
            terminalreporter.write_line(
                f"  notest: {project.relative(block.page)}:{block.line}"
            )
