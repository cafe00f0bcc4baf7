"""Reports of the slow checks, kept while nothing they were made from has changed.

Opening every page in Chromium and running every page's code in the reader's Python
take most of a test run. What they record (a ``PageReport``, a reader report) is a
function of their inputs: the bytes of the built site, the code run, the versions of
the programs that run it and the test code that drives them. Each report is stored
under ``.cache/test-reports/<kind>/`` by the hash of all of those; a run whose inputs
are unchanged reads the report instead of making it again, and the tests check it
exactly as they check a new one. Any change to an input gives another key, so the
report is made anew.

Only reports of runs that completed are stored (a timeout or a crash of the driving
code raises before ``store``). ``TEST_REPORT_CACHE=off`` makes every report anew
(``make test-fresh``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

from executable_docs.build_cache import ContentCache, cache_key
from tests.conftest import ROOT

FOLDER = ROOT / ".cache" / "test-reports"
ENABLED = os.environ.get("TEST_REPORT_CACHE", "on") != "off"
REPORT = "report.json"


class ReportCache:
    """JSON reports of one kind of check, one entry per checked item (a page, a program).

    Entries are ``ContentCache`` folders (atomic writes); instead of evicting what a run
    did not use (a run of some tests uses only some items), an item's entry replaces the
    entries of its earlier inputs.
    """

    def __init__(
        self,
        kind: str,
        *inputs: str | bytes,
        files: tuple[Path, ...] = (),
        reuse: bool = True,
        folder: Path = FOLDER,
    ) -> None:
        self.cache = ContentCache(folder / kind)
        # The inputs every report of this kind shares: versions and the code that makes the reports.
        self.shared = cache_key(kind, *inputs, files=files, root=ROOT)
        self.reuse = reuse and ENABLED

    def _key(self, item: str, inputs: tuple[str | bytes, ...]) -> str:
        return cache_key(self.shared, item, *inputs)

    def load(self, item: str, *inputs: str | bytes) -> dict | None:
        entry = (
            self.cache.lookup(self._key(item, inputs), (REPORT,), _label(item))
            if self.reuse
            else None
        )
        if entry is None:
            return None
        return json.loads((entry / REPORT).read_text(encoding="utf-8"))

    def store(self, item: str, report: dict, *inputs: str | bytes) -> None:
        text = json.dumps(report)
        entry = self.cache.store(
            self._key(item, inputs),
            lambda folder: (folder / REPORT).write_text(text),
            _label(item),
        )
        for other in (
            self.cache.folder.iterdir()
        ):  # (a key is hex: the label is all before the last "-")
            if other != entry and other.name.rsplit("-", 1)[0] == _label(item):
                shutil.rmtree(other, ignore_errors=True)


def _label(item: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", item).strip("-") or "root"
