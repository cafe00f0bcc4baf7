"""What the harness relies on in pytest-markdown-docs, including its private runner API.

executable_docs.pytest_plugin registers its runner through
``pytest_markdown_docs._runners`` (not a documented API), so the version is pinned
in pyproject.toml and these tests fail loudly if an upgrade changes that contract.
"""

import dataclasses
import inspect
from importlib.metadata import version

from pytest_markdown_docs import _runners
from pytest_markdown_docs.definitions import FenceTestDefinition
from pytest_markdown_docs.plugin import MarkdownTextFile

from executable_docs.pytest_plugin import PageOrderRunner


def test_the_pinned_version_is_installed():
    assert version("pytest-markdown-docs") == "0.9.2"


def test_our_runner_is_the_default_runner():
    assert isinstance(_runners.get_runner(None), PageOrderRunner)


def test_runners_receive_the_fields_we_read():
    fields = {field.name for field in dataclasses.fields(FenceTestDefinition)}
    assert {"source_path", "start_line"} <= fields
    assert list(inspect.signature(_runners._Runner.runtest).parameters)[:3] == [
        "self",
        "test",
        "args",
    ]


def test_markdown_files_ask_the_parser_hook():
    assert "pytest_markdown_docs_markdown_it" in inspect.getsource(
        MarkdownTextFile.collect
    )
