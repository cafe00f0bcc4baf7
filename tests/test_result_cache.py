"""A stored report is reused only when it is the complete, passing report of the same
inputs; anything else is made anew, and the session's summary says so."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from executable_docs.build_cache import MANIFEST
from tests import result_cache
from tests.conftest import ROOT
from tests.result_cache import ReportCache, SettingError, reuse_enabled

ON = {"TEST_REPORT_CACHE": "on"}  # as in a plain run, whatever this one's setting is


def cache(tmp_path, *inputs, files=(), environ=ON, check=None) -> ReportCache:
    return ReportCache(
        "kind", *inputs, files=files, folder=tmp_path, environ=environ, check=check
    )


def passed(report: dict) -> str | None:
    return None if report.get("passed") is True else "it did not pass"


def entry(tmp_path) -> Path:
    (found,) = [p for p in (tmp_path / "kind").iterdir() if p.is_dir()]
    return found


def test_a_report_is_read_back_only_for_the_same_inputs(tmp_path):
    code = tmp_path / "runner.py"
    code.write_text("v1")
    first = cache(tmp_path, "torch 2.13.0", files=(code,))
    assert first.load("page /a/", b"<html>1") is None
    first.store("page /a/", {"ok": True}, b"<html>1")
    assert first.load("page /a/", b"<html>1") == {"ok": True}
    assert first.load("page /a/", b"<html>2") is None  # the page changed
    other = cache(tmp_path, "torch 2.14.1", files=(code,))
    assert other.load("page /a/", b"<html>1") is None
    code.write_text("v2")  # the code that makes the reports changed
    assert cache(tmp_path, "torch 2.13.0", files=(code,)).load("page /a/", b"1") is None


def test_the_environment_that_reaches_a_run_is_an_input_and_the_invocation_is_not(
    tmp_path,
):
    cache(tmp_path, environ={**ON, "OMP_NUM_THREADS": "1"}).store("item", {"a": 1})
    threads = {**ON, "OMP_NUM_THREADS": "2"}
    assert cache(tmp_path, environ=threads).load("item") is None
    hashing = {**ON, "OMP_NUM_THREADS": "1", "PYTHONHASHSEED": "3"}
    assert cache(tmp_path, environ=hashing).load("item") is None
    started = {
        **ON,
        "OMP_NUM_THREADS": "1",
        "MAKELEVEL": "1",
        "PYTEST_XDIST_WORKER": "gw1",
        # torch sets it on importing torch._dynamo, in whichever test does first
        "TORCHINDUCTOR_CACHE_DIR": "/tmp/torchinductor_someone",
    }
    assert cache(tmp_path, environ=started).load("item") == {"a": 1}
    torch_switch = {**ON, "OMP_NUM_THREADS": "1", "TORCH_LOGS": "dynamo"}
    assert cache(tmp_path, environ=torch_switch).load("item") is None


def test_runs_with_an_environment_of_their_own_are_keyed_on_that_one(tmp_path):
    own = {"HOME": "<work>", "MPLBACKEND": "Agg"}  # as the reader runs get

    def reports(environ, run_environ=own):
        return ReportCache(
            "kind", folder=tmp_path, environ=environ, run_environ=run_environ
        )

    reports({**ON, "OMP_NUM_THREADS": "1"}).store("item", {"a": 1})
    assert reports({**ON, "OMP_NUM_THREADS": "2"}).load("item") == {"a": 1}
    assert reports(ON, {**own, "MPLBACKEND": "svg"}).load("item") is None
    assert reports({"TEST_REPORT_CACHE": "off"}).load("item") is None


def test_an_item_keeps_one_entry_and_never_removes_another_items(tmp_path):
    reports = cache(tmp_path)
    reports.store("/autograd-in-depth/", {"n": 0}, "x")
    reports.store("/autograd/", {"n": 1}, "old")
    reports.store(
        "/autograd/", {"n": 2}, "new"
    )  # replaces its older inputs' entry only
    assert sorted(
        path.name.rsplit("-", 1)[0] for path in (tmp_path / "kind").iterdir()
    ) == ["autograd", "autograd-in-depth"]
    assert reports.load("/autograd/", "new") == {"n": 2}
    assert reports.load("/autograd/", "old") is None
    assert reports.load("/autograd-in-depth/", "x") == {"n": 0}
    assert not list((tmp_path / "kind").glob(".partial-*"))


@pytest.mark.parametrize(
    "stored", [{"passed": False}, {}, {"passed": "yes"}], ids=["failed", "empty", "str"]
)
def test_a_report_that_does_not_pass_is_never_stored(tmp_path, stored):
    reports = cache(tmp_path, check=passed)
    assert reports.store("item", stored) is False
    assert not (tmp_path / "kind").exists() or not list((tmp_path / "kind").iterdir())
    assert reports.load("item") is None


@pytest.mark.parametrize(
    "edit",
    [
        '{"passed": false}',  # a failing report
        "{}",  # an empty one
        '{"passed": true, "statements": []}',  # a passing one, but not what was stored
        '{"passed": tru',  # half written
    ],
)
def test_a_stored_report_edited_by_hand_is_made_anew_and_the_summary_says_why(
    tmp_path, edit
):
    reports = cache(tmp_path, check=passed)
    assert reports.store("snippets.a", {"passed": True, "statements": [1]})
    (entry(tmp_path) / result_cache.REPORT).write_text(edit)
    assert cache(tmp_path, check=passed).load("snippets.a") is None
    assert not (tmp_path / "kind").exists() or not list((tmp_path / "kind").iterdir())
    (line,) = result_cache.summary(tmp_path)[1:]
    assert "made anew" in line and "report.json does not match the digest" in line
    result_cache.start_session(tmp_path)
    assert result_cache.summary(tmp_path) == []


def test_a_stored_report_whose_check_now_fails_is_made_anew(tmp_path):
    cache(tmp_path).store("item", {"passed": False, "note": "stored before checks"})
    assert cache(tmp_path, check=passed).load("item") is None
    assert "not a passing one: it did not pass" in result_cache.summary(tmp_path)[1]


def test_an_edited_manifest_or_an_added_file_makes_the_report_anew(tmp_path):
    reports = cache(tmp_path)
    reports.store("item", {"passed": True}, read={"file:/a/config": "missing"})
    manifest = entry(tmp_path) / MANIFEST
    text = json.loads(manifest.read_text())
    del text["inputs"]["file:/a/config"]  # so that it no longer counts
    manifest.write_text(json.dumps(text))
    assert reports.load("item") is None
    reports.store("item", {"passed": True})
    (entry(tmp_path) / "extra.json").write_text("{}")
    assert reports.load("item") is None
    assert "extra.json was added" in result_cache.summary(tmp_path)[-1]


def test_what_a_run_read_is_an_input_even_from_another_thread(tmp_path):
    data = tmp_path / "served.txt"
    data.write_text("one")
    made = []

    def run() -> dict:
        # As the browser tests' HTTP server reads the page: in a thread of its own.
        reader = threading.Thread(target=lambda: made.append(data.read_text()))
        reader.start()
        reader.join()
        return {"passed": True, "read": made[-1]}

    assert cache(tmp_path).make("item", run) == {"passed": True, "read": "one"}
    assert cache(tmp_path).make("item", run) == {"passed": True, "read": "one"}
    assert made == ["one"], "unchanged: reused"
    data.write_text("two")
    assert cache(tmp_path).make("item", run) == {"passed": True, "read": "two"}
    assert f"{data} changed" in result_cache.summary(tmp_path)[-1]


def test_a_run_that_raises_stores_nothing(tmp_path):
    def run() -> dict:
        raise RuntimeError("the check failed")

    with pytest.raises(RuntimeError):
        cache(tmp_path).make("item", run)
    assert not (tmp_path / "kind").exists() or not list((tmp_path / "kind").iterdir())


@pytest.mark.parametrize(
    ("setting", "reused"),
    [
        *((value, True) for value in ("on", "ON", "1", "true", "Yes", "")),
        *((value, False) for value in ("off", "OFF", "Off", "0", "false", "NO", "no")),
    ],
)
def test_test_report_cache_accepts_the_usual_spellings(tmp_path, setting, reused):
    cache(tmp_path).store("item", {"ok": True})
    environ = {"TEST_REPORT_CACHE": setting}
    assert reuse_enabled(environ) is reused
    assert (cache(tmp_path, environ=environ).load("item") is not None) is reused
    assert reuse_enabled({}) is True, "unset: reuse"


@pytest.mark.parametrize("setting", ["maybe", "of", "2"])
def test_an_unknown_test_report_cache_setting_is_an_error_naming_the_variable(
    tmp_path, setting
):
    with pytest.raises(SettingError, match=rf"^TEST_REPORT_CACHE='{setting}' is not"):
        cache(tmp_path, environ={"TEST_REPORT_CACHE": setting})


def test_an_unknown_setting_stops_pytest_with_a_usage_error(pytester, monkeypatch):
    pytester.makepyfile("def test_nothing():\n    pass\n")
    conftest = Path(__file__).with_name("conftest.py")
    pytester.makeconftest(
        f"import sys\nsys.path.insert(0, {str(conftest.parents[1])!r})\n"
        "from tests.conftest import pytest_configure\n"
    )
    monkeypatch.setenv("TEST_REPORT_CACHE", "sometimes")
    result = pytester.runpytest_subprocess()
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*TEST_REPORT_CACHE='sometimes' is not a setting*"])


def test_make_test_fresh_deletes_every_cache_then_runs_the_tests_without_reuse(
    tmp_path,
):
    """`make test-fresh` in a copy of the Makefile, with the recursive make replaced by
    a script that says what it finds: no .cache at all, and reuse switched off."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    for kind in ("figures", "notebooks", "test-reports/browser"):
        (tmp_path / ".cache" / kind).mkdir(parents=True)
    sub_make = tmp_path / "sub-make"
    sub_make.write_text(
        '#!/bin/sh\necho "$@" "TEST_REPORT_CACHE=$TEST_REPORT_CACHE" '
        '"$(test -e .cache && echo with || echo without) .cache"\n'
    )
    sub_make.chmod(0o755)
    done = subprocess.run(
        ["make", "--no-print-directory", "test-fresh", f"MAKE={sub_make}"],
        cwd=tmp_path,
        env={**os.environ, "TEST_REPORT_CACHE": "on"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.splitlines()[-1] == "test TEST_REPORT_CACHE=off without .cache"
