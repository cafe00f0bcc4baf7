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
from pathlib import Path

from executable_docs.build_cache import cache_key
from tests.conftest import ROOT

FOLDER = ROOT / ".cache" / "test-reports"
ENABLED = os.environ.get("TEST_REPORT_CACHE", "on") != "off"


class ReportCache:
    """JSON reports of one kind of check, one entry per checked item (a page, a program)."""

    def __init__(
        self, kind: str, *inputs: str | bytes, files: tuple[Path, ...] = (), reuse: bool = True, folder: Path = FOLDER
    ) -> None:
        # The inputs every report of this kind shares: versions and the code that makes the reports.
        self.folder = folder / kind
        self.reuse = reuse and ENABLED
        self.shared = cache_key(kind, *inputs, files=files, root=ROOT)
        self.hits = self.misses = 0

    def _path(self, item: str, *inputs: str | bytes) -> Path:
        return self.folder / f"{_slug(item)}.{cache_key(self.shared, item, *inputs)}.json"

    def load(self, item: str, *inputs: str | bytes) -> dict | None:
        path = self._path(item, *inputs)
        if self.reuse and path.is_file():
            self.hits += 1
            return json.loads(path.read_text(encoding="utf-8"))
        self.misses += 1
        return None

    def store(self, item: str, report: dict, *inputs: str | bytes) -> None:
        path = self._path(item, *inputs)
        self.folder.mkdir(parents=True, exist_ok=True)
        # An item keeps one entry: the reports of its older inputs go (a slug has no dot).
        for older in self.folder.glob(f"{_slug(item)}.*.json"):
            if older != path:
                older.unlink(missing_ok=True)
        partial = path.with_name(f".partial-{os.getpid()}-{path.name}")
        partial.write_text(json.dumps(report), encoding="utf-8")
        os.replace(partial, path)  # readers see a complete report or none


def _slug(item: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", item).strip("-") or "root"
