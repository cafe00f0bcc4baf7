"""The matrix's data reaches the site through its file format only.

matrix/ measures the pages (it builds on executable_docs and on site_build's reading of
the pages: their behaviours and headings); site_build reads the result files
(matrix/result.schema.json) and imports nothing from matrix/, so the two never import
each other in a loop.
"""

import pytest

from tests.conftest import ROOT
from tests.harness.test_package_boundary import imported_packages


@pytest.mark.parametrize(
    "path", sorted((ROOT / "site_build").glob("*.py")), ids=lambda path: path.name
)
def test_the_site_build_imports_nothing_from_matrix(path):
    assert "matrix" not in imported_packages(path)
