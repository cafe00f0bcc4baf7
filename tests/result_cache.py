"""Reports of the slow checks, kept while nothing they were made from has changed.

Opening every page in Chromium, running every page's code in the reader's Python and
running every snippet file whole take most of a test run. What they record (a
``PageReport``, a reader report, a whole-file report) is a function of their inputs:
the bytes of the built site, the code run, the programs that run it and the test code
that drives them, the environment. Each report is stored under
``.cache/test-reports/<kind>/`` (an ``executable_docs.build_cache.ContentCache`` entry)
by the hash of the inputs known before the run, beside a manifest holding the report's
digest and what the run actually read (files opened, modules imported, each with its
digest or its distribution's version; a subprocess reports its own). A run whose inputs
are unchanged reads the report instead of making it again, and the tests check it
exactly as they check a new one.

A stored report is reused only when it is the complete, passing report of the same
inputs: its digest matches (not edited), every recorded input is unchanged, and the
kind's ``check`` finds nothing wrong with it (a reader run that did not complete, a
whole-file run that did not pass). Anything else is made anew, and the session's
summary says which and why (``summary``). A report that does not pass its ``check``
is never stored: it runs, and fails, every time.

``TEST_REPORT_CACHE`` opts out: ``off`` (or ``0``, ``false``, ``no``, in any case)
makes every report anew; ``on`` (``1``, ``true``, ``yes``, or unset) reuses them;
anything else is an error naming the variable. ``make test-fresh`` deletes every
cache (.cache) first.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Callable, Mapping
from pathlib import Path

from executable_docs.build_cache import (
    ContentCache,
    cache_key,
    environment_fingerprint,
    fingerprints,
    recording,
)
from tests.conftest import ROOT

FOLDER = ROOT / ".cache" / "test-reports"
REPORT = "report.json"
VARIABLE = "TEST_REPORT_CACHE"
SETTINGS = {
    **dict.fromkeys(("on", "1", "true", "yes", ""), True),
    **dict.fromkeys(("off", "0", "false", "no"), False),
}
# One line per report made anew although an entry existed (appended by any xdist worker,
# read by the controller's summary).
MADE_ANEW_LOG = "made-anew.log"

Check = Callable[[dict], "str | None"]


class SettingError(ValueError):
    pass


def reuse_enabled(environ: Mapping[str, str] = os.environ) -> bool:
    """Whether ``TEST_REPORT_CACHE`` lets a run reuse stored reports."""
    value = environ.get(VARIABLE, "on")
    try:
        return SETTINGS[value.strip().lower()]
    except KeyError:
        raise SettingError(
            f"{VARIABLE}={value!r} is not a setting: use on (or 1, true, yes) to reuse "
            "stored reports, off (or 0, false, no) to make every report anew"
        ) from None


class ReportCache:
    """JSON reports of one kind of check, one entry per item (a page, a program).

    ``inputs`` and ``files``: what every report of the kind is made from (versions,
    the code that makes the reports); the environment is added (``environ``, this
    process's, or ``run_environ`` if the runs get their own). ``check(report)``: the
    problem with a report that must not be reused or stored (incomplete, not passing),
    or None. Instead of evicting what a run did not use (a run of some tests uses only
    some items), an item's entry replaces the entries of its earlier inputs.
    """

    def __init__(
        self,
        kind: str,
        *inputs: str | bytes,
        files: tuple[Path, ...] = (),
        reuse: bool = True,
        folder: Path = FOLDER,
        check: Check | None = None,
        environ: Mapping[str, str] = os.environ,
        run_environ: Mapping[str, str] | None = None,
    ) -> None:
        self.kind = kind
        self.folder = Path(folder)
        self.cache = ContentCache(self.folder / kind, log=self._said)
        # The environment the runs get: this process's unless they get their own.
        runs_get = environ if run_environ is None else run_environ
        self.shared = cache_key(
            kind, *inputs, environment_fingerprint(runs_get), files=files, root=ROOT
        )
        self.reuse = reuse and reuse_enabled(environ)
        self.check = check

    def _said(self, message: str) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        line = message.removeprefix(str(self.folder) + os.sep).replace("\n", " ")
        with open(self.folder / MADE_ANEW_LOG, "a", encoding="utf-8") as log:
            log.write(line + "\n")

    def _key(self, item: str, inputs: tuple[str | bytes, ...]) -> str:
        return cache_key(self.shared, item, *inputs)

    def _problem(self, report: object, check: Check | None) -> str | None:
        if not isinstance(report, dict):
            return "the report is not a JSON object"
        for each in (self.check, check):
            problem = each(report) if each else None
            if problem:
                return problem
        return None

    def load(self, item: str, *inputs: str | bytes, check: Check | None = None):
        """The stored report of ``item`` for these inputs if reusable, or None."""
        if not self.reuse:
            return None

        def reusable(entry: Path) -> str | None:
            try:
                report = json.loads((entry / REPORT).read_text(encoding="utf-8"))
            except ValueError:
                return "the report is not JSON"
            problem = self._problem(report, check)
            return problem and f"the stored report is not a passing one: {problem}"

        entry = self.cache.lookup(
            self._key(item, inputs), (REPORT,), _label(item), reusable
        )
        if entry is None:
            return None
        return json.loads((entry / REPORT).read_text(encoding="utf-8"))

    def store(
        self,
        item: str,
        report: dict,
        *inputs: str | bytes,
        read: Mapping[str, str] | None = None,
        check: Check | None = None,
    ) -> bool:
        """Keep ``report`` if it passes the checks (whether it did); ``read``: the
        fingerprints of what its run read (build_cache.fingerprints)."""
        if self._problem(report, check):
            return False
        text = json.dumps(report)
        entry = self.cache.store(
            self._key(item, inputs),
            lambda folder: (folder / REPORT).write_text(text, encoding="utf-8"),
            _label(item),
            inputs=read,
        )
        # (A key is hex: the label is all before the last "-".)
        for other in self.cache.folder.iterdir():
            if other != entry and other.name.rsplit("-", 1)[0] == _label(item):
                shutil.rmtree(other, ignore_errors=True)
        return True

    def make(
        self,
        item: str,
        run: Callable[[], dict],
        *inputs: str | bytes,
        check: Check | None = None,
        libraries: tuple = (),
    ) -> dict:
        """The report of ``item``: the stored one if it may be reused, else ``run()``,
        recorded (what it opens and imports in this process, and the distributions of
        ``libraries``, modules it uses that were imported before) and stored."""
        report = self.load(item, *inputs, check=check)
        if report is None:
            with recording() as reads:
                report = run()
            read = fingerprints(reads.paths(), libraries)
            self.store(item, report, *inputs, read=read, check=check)
        return report


def _label(item: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", item).strip("-") or "root"


def start_session(folder: Path = FOLDER) -> None:
    """Forget what an earlier session made anew (called once, before any report)."""
    (folder / MADE_ANEW_LOG).unlink(missing_ok=True)


def summary(folder: Path = FOLDER) -> list[str]:
    """The lines for the session's summary: each stored report that existed but was made
    anew, and why."""
    log = folder / MADE_ANEW_LOG
    if not log.is_file():
        return []
    lines = log.read_text(encoding="utf-8").splitlines()
    return [f"stored test reports made anew ({len(lines)}):", *lines] if lines else []
