"""Shared fixtures: the project as mkdocs sees it, and the site `mkdocs build --strict`
wrote (`make test` builds first)."""

from pathlib import Path

import pytest

from executable_docs.project import load_project

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "site"
SOURCES = ("docs", "snippets", "executable_docs", "site_build", "mkdocs.yml")


def newest_source_change() -> float:
    paths = [ROOT / "mkdocs.yml"] + [
        path
        for folder in SOURCES[:-1]
        for path in (ROOT / folder).rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    ]
    return max(path.stat().st_mtime for path in paths)


@pytest.fixture(scope="session")
def site() -> Path:
    index = SITE / "index.html"
    if not index.exists():
        pytest.fail(
            "site/ has not been built: run `make test` (or `mkdocs build --strict` "
            "first)"
        )
    if index.stat().st_mtime < newest_source_change():
        pytest.fail(
            "site/ is older than docs/, snippets/ or mkdocs.yml: rebuild it with "
            "`mkdocs build --strict`"
        )
    return SITE


@pytest.fixture(scope="session")
def project():
    return load_project(ROOT / "mkdocs.yml")


@pytest.fixture
def docs(pytester: pytest.Pytester):
    """A throw-away docs project (tests/docs_fixture.py) in pytester's folder."""
    from tests.docs_fixture import DocsFixture

    return DocsFixture(pytester)


def pytest_configure(config):
    """A wrong TEST_REPORT_CACHE is a usage error; a session's list of reports made anew
    starts empty (in the controller, before any worker makes one)."""
    from tests import result_cache

    try:
        result_cache.reuse_enabled()
    except result_cache.SettingError as error:
        raise pytest.UsageError(str(error)) from None
    if not hasattr(config, "workerinput"):
        result_cache.start_session()


def pytest_terminal_summary(terminalreporter):
    from tests import result_cache

    for line in result_cache.summary():
        terminalreporter.write_line(line)
