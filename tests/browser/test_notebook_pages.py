"""The notebook pages mkdocs-jupyter renders, opened in Chromium.

The checks are those of page_checks.py.
"""

from __future__ import annotations

from tests.browser.conftest import SITE_PAGES
from tests.browser.page_checks import *

PAGES = [path for path in SITE_PAGES if path.startswith("/notebooks/")]
