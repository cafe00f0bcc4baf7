"""The pages written in docs/, opened in Chromium (the checks: page_checks.py)."""

from __future__ import annotations

import re

from tests.browser.conftest import SITE_PAGES
from tests.browser.page_checks import *

PAGES = [path for path in SITE_PAGES if not path.startswith("/notebooks/")]


def test_search_finds_zero_grad_on_the_optimizers_page(searched):
    found = searched("zero_grad")
    assert "/optimizers/" in found["first_result"]
    assert re.fullmatch(r"/optimizers/.*", found["opened"]), found
