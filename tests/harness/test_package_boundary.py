"""executable_docs is the generic harness: it imports neither site_build nor torch.

site_build may import executable_docs, never the reverse; what the harness must know of
the site's libraries (their process-wide settings, their random generators) comes from
the module pyproject.toml names (``[tool.executable_docs] page_state``).
"""

import ast

import pytest

from tests.conftest import ROOT

HARNESS = sorted((ROOT / "executable_docs").glob("*.py"))


def imported_packages(path) -> set[str]:
    """Top-level package of every import in ``path``, at any depth (functions too)."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("path", HARNESS, ids=lambda path: path.name)
def test_the_harness_imports_neither_the_site_build_nor_torch(path):
    assert not imported_packages(path) & {"site_build", "torch", "snippets", "tests"}


def test_the_site_names_its_page_state_module_in_pyproject():
    from executable_docs.page_state import page_state_module

    assert page_state_module(ROOT) == "site_build.torch_state"
