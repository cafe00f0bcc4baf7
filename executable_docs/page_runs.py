"""Run a page's blocks in page order, in one namespace, each exactly once per process.

pytest-markdown-docs makes one test per block. Its ``continuation`` option would
re-run every earlier block of the page inside each test; instead, the test of
block k asks the page's run to go *through* block k: blocks not yet run are run
in order, and results are kept. Whatever order the tests run in (pytest-randomly,
``-k``), each block runs once, after all the blocks above it.

Each page has its own random generators and its own process-wide settings
(those the project declares; executable_docs.page_state): the test of a page's
last block fails if the page leaves a setting changed.
"""

from __future__ import annotations

import functools
from pathlib import Path

from executable_docs.execution import CodeUnit, run_unit, unrun_assertion
from executable_docs.markdown_blocks import PythonBlock, find_python_blocks
from executable_docs.page_state import PageState
from executable_docs.project import CONFIG_FILE, DocsProject, load_project
from executable_docs.snippet_expansion import SnippetExpander
from executable_docs.standalone_runner import Assertions

# Every page starts from this seed. Whole snippet files run with another one
# (tests/snippets), so code that forgets to seed its own generator fails there.
PAGE_SEED = 0


class EarlierBlockFailed(Exception):
    def __init__(self, failed_block: str) -> None:
        super().__init__(f"not run: the earlier block at {failed_block} failed")


def find_config(page: Path) -> Path | None:
    for folder in Path(page).resolve().parents:
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
    return None


class PageRun:
    def __init__(self, project: DocsProject, page: Path) -> None:
        self.project = project
        self.blocks = [block for block in find_python_blocks(page) if not block.skipped]
        self.expander = SnippetExpander(project)
        self.namespace: dict = {"__name__": "__main__"}
        self.outcomes: dict[int, BaseException | None] = {}  # by fence line
        # Every assertion of the page, recorded when it has run and passed: a function
        # of one block may be called in a later one, so they are checked at the end.
        self.assertions = Assertions()
        self.units: dict[int, CodeUnit] = {}  # by fence line, as they ran
        self._state: PageState | None = None

    def label(self, block: PythonBlock) -> str:
        return f"{self.project.relative(block.page)}:{block.line}"

    def unit(self, block: PythonBlock) -> CodeUnit:
        expanded = self.expander.expand(block)
        return CodeUnit(self.label(block), expanded.code, expanded.origins)

    def run_through(self, line: int) -> None:
        """Run the blocks up to the one whose fence is on ``line``; raise its error."""
        lines = [block.line for block in self.blocks]
        if line not in lines:
            raise LookupError(f"no executable Python block starts at line {line}")
        for block in self.blocks[: lines.index(line) + 1]:
            if block.line not in self.outcomes:
                self.outcomes[block.line] = self._run(block)
        if len(self.outcomes) == len(self.blocks):
            # The page is done: free its tensors and models, so a run's memory (and the
            # garbage collector's work) stays that of one page, however many pages.
            self.namespace.clear()
        if (outcome := self.outcomes[line]) is not None:
            raise outcome

    def _run(self, block: PythonBlock) -> BaseException | None:
        failed = [b for b in self.blocks if self.outcomes.get(b.line) is not None]
        if failed:
            return EarlierBlockFailed(self.label(failed[0]))
        if self._state is None:
            # Loads the project's page-state module (which imports its libraries): only
            # when a page runs, never while collecting.
            self._state = PageState(self.project.root, PAGE_SEED)
        try:
            unit = self.units[block.line] = self.unit(block)
            with self._state.active():
                run_unit(
                    unit, self.namespace, self.project.root, assertions=self.assertions
                )
            if block is self.blocks[-1]:
                self._state.check_restored(str(self.project.relative(block.page)))
                for ran in self.units.values():
                    outcomes = self.assertions.outcomes_of(ran.label)
                    if failure := unrun_assertion(ran, outcomes):
                        raise failure
        except Exception as error:  # noqa: BLE001 - kept, re-raised by the block's test
            return error
        return None


@functools.cache
def page_run(page: Path) -> PageRun:
    config_file = find_config(page)
    if config_file is None:
        raise FileNotFoundError(f"{page}: no {CONFIG_FILE} above this page")
    return PageRun(load_project(config_file), Path(page).resolve())
