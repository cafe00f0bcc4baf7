"""The reports a warm run reuses are the ones made from the same inputs, and only those."""

from __future__ import annotations

import pytest

from tests import result_cache
from tests.result_cache import ReportCache


@pytest.fixture(autouse=True)
def reuse_on(monkeypatch):
    """As in a plain run, whatever TEST_REPORT_CACHE says for this one (make test-fresh sets it off)."""
    monkeypatch.setattr(result_cache, "ENABLED", True)


def test_a_report_is_read_back_only_for_the_same_inputs(tmp_path):
    code = tmp_path / "runner.py"
    code.write_text("v1")
    cache = ReportCache("kind", "torch 2.13.0", files=(code,), folder=tmp_path)
    assert cache.load("page /a/", b"<html>1") is None
    cache.store("page /a/", {"ok": True}, b"<html>1")
    assert cache.load("page /a/", b"<html>1") == {"ok": True}
    assert cache.load("page /a/", b"<html>2") is None  # the page changed
    assert (
        ReportCache("kind", "torch 2.14.1", files=(code,), folder=tmp_path).load(
            "page /a/", b"<html>1"
        )
        is None
    )
    code.write_text("v2")  # the code that makes the reports changed
    assert (
        ReportCache("kind", "torch 2.13.0", files=(code,), folder=tmp_path).load(
            "page /a/", b"<html>1"
        )
        is None
    )


def test_an_item_keeps_one_entry_and_never_removes_another_items(tmp_path):
    cache = ReportCache("kind", folder=tmp_path)
    cache.store("/autograd-in-depth/", {"n": 0}, "x")
    cache.store("/autograd/", {"n": 1}, "old")
    cache.store(
        "/autograd/", {"n": 2}, "new"
    )  # replaces the entry of its older inputs only
    assert sorted(
        path.name.rsplit("-", 1)[0] for path in (tmp_path / "kind").iterdir()
    ) == ["autograd", "autograd-in-depth"]
    assert (
        cache.load("/autograd/", "new") == {"n": 2}
        and cache.load("/autograd/", "old") is None
    )
    assert cache.load("/autograd-in-depth/", "x") == {"n": 0}
    assert not list((tmp_path / "kind").glob(".partial-*"))


@pytest.mark.parametrize(("setting", "reused"), [("on", True), ("off", False)])
def test_test_report_cache_off_makes_every_report_anew(
    tmp_path, monkeypatch, setting, reused
):
    ReportCache("kind", folder=tmp_path).store("item", {"ok": True})
    monkeypatch.setattr(result_cache, "ENABLED", setting != "off")
    assert (ReportCache("kind", folder=tmp_path).load("item") is not None) is reused
    assert ReportCache("kind", folder=tmp_path, reuse=False).load("item") is None
