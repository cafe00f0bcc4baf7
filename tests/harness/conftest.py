import pytest

# pytester's in-process runs drop the modules they import afterwards, and torch and
# numpy cannot be imported twice in one process: import them (via the page
# randomness the harness uses) before any run, so they stay.
import executable_docs.randomness  # noqa: F401
from tests.harness.docs_fixture import DocsFixture


@pytest.fixture
def docs(pytester: pytest.Pytester) -> DocsFixture:
    return DocsFixture(pytester)
