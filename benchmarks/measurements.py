"""Each measurement as a function that does the work once (the caller times it)."""

from __future__ import annotations

import functools
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from benchmarks.docs_tree import ROOT, expanded_pages

if TYPE_CHECKING:  # Playwright is imported only when the page weights are measured
    from playwright.sync_api import Browser, Response

PYTHON = sys.executable


def _run(args: list[str], cwd: Path = ROOT, env: dict[str, str] | None = None) -> None:
    """Runs a measured command without its output; a failure raises with its stderr."""
    subprocess.run(
        args,
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        check=True,
    )


@functools.cache
def _pages_file() -> Path:
    path = Path(tempfile.mkdtemp(prefix="bench-floor-")) / "pages.json"
    path.write_text(json.dumps(expanded_pages()))
    return path


def floor() -> None:
    _run([PYTHON, str(ROOT / "benchmarks" / "floor_runner.py"), str(_pages_file())])


def suite(workers: int | None = None, tree: Path | None = None) -> None:
    """The page tests as `make test` runs them (fixed order, so runs compare)."""
    where = tree or ROOT
    args = [
        PYTHON,
        "-m",
        "pytest",
        "-q",
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        str(where / "docs"),
    ]
    if workers:
        args += ["-n", str(workers)]
    _run(args, cwd=where)


@functools.cache
def _continuation_tree() -> Path:
    """The same pages for stock pytest-markdown-docs.

    Code inline, every block after a page's first marked ``continuation``.
    """
    folder = Path(tempfile.mkdtemp(prefix="bench-continuation-"))
    (folder / "pytest.ini").write_text("[pytest]\n")
    for page, blocks in expanded_pages().items():
        fences = [
            f"```python{'' if index == 0 else ' continuation'}\n{code}```\n"
            for index, code in enumerate(blocks)
        ]
        target = folder / page
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(fences))
    return folder


def stock_continuation() -> None:
    folder = _continuation_tree()
    _run(
        [
            PYTHON,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:executable_docs",
            "-p",
            "no:randomly",
            "-p",
            "no:cacheprovider",
            "--markdown-docs",
            "docs",
        ],
        cwd=folder,
    )


def notebooks_in_kernels() -> None:
    """What notebook-based tutorial sites do.

    Each page a notebook, executed top to bottom in a Jupyter kernel of its own.
    """
    from executable_docs.project import load_project
    from site_build.generated_markdown import torch_version
    from site_build.notebooks import execute_notebook, page_notebook

    project = load_project(ROOT / "mkdocs.yml")
    notebooks = [
        nb
        for page in project.pages()
        if (nb := page_notebook(project, page, "", torch_version()))
    ]
    for notebook in notebooks:
        execute_notebook(notebook, ROOT)


def _build(site_dir: Path) -> None:
    _run(
        [
            PYTHON,
            "-m",
            "mkdocs",
            "build",
            "--strict",
            "--quiet",
            "--site-dir",
            str(site_dir),
        ],
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )


def cold_build() -> None:
    for cache in (ROOT / ".cache" / "notebooks", ROOT / ".cache" / "mkdocs-jupyter"):
        shutil.rmtree(cache, ignore_errors=True)
    with tempfile.TemporaryDirectory() as site:
        _build(Path(site))


def warm_build() -> None:
    with tempfile.TemporaryDirectory() as site:
        _build(Path(site))


def page_weights() -> list[dict]:
    """Bytes and requests of every page of the built site in Chromium (none without)."""
    from playwright.sync_api import sync_playwright

    from site_build.browser import CHROMIUM, CHROMIUM_ARGS, served, site_pages

    site = ROOT / "site"
    if not Path(CHROMIUM).exists() or not site.exists():
        print("  page weights skipped: needs Chromium and a built site/ (make build)")
        return []
    with served(site) as origin, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        weights = [_weight(browser, origin, path) for path in site_pages(site)]
        browser.close()
    return weights


def _weight(browser: Browser, origin: str, path: str) -> dict:
    """One page in a fresh context: the bytes it transferred, and its requests."""
    context = browser.new_context()
    page = context.new_page()
    responses: list[Response] = []
    # Playwright tags its handlers with an attribute: a lambda, not list.append.
    page.on("response", lambda response: responses.append(response))
    page.goto(origin + path, wait_until="networkidle")
    sizes = [len(response.body()) for response in responses if response.status == 200]
    html = next(len(r.body()) for r in responses if r.url == origin + path)
    context.close()
    return {
        "page": path,
        "bytes": sum(sizes),
        "html_bytes": html,
        "requests": len(responses),
    }


def make_test(fresh: bool = False) -> dict:
    """One `make test` in this checkout, timed as a whole and by part.

    ``fresh`` sets TEST_REPORT_CACHE=off: every browser visit, reader run and whole-file
    run is made anew (as on a fresh clone, apart from the build's own caches).
    Returns the wall time, pytest's share of it and the seconds of the tests summed by
    folder (both xdist workers together: about twice pytest's wall time).
    """
    import time
    from xml.etree import ElementTree

    with tempfile.TemporaryDirectory(prefix="bench-make-test-") as folder:
        junit = Path(folder) / "junit.xml"
        env = {**os.environ, "PYTEST_ADDOPTS": f"--junitxml={junit}"}
        if fresh:
            env["TEST_REPORT_CACHE"] = "off"
        started = time.perf_counter()
        _run(["make", "test"], env=env)
        wall = time.perf_counter() - started
        root = ElementTree.parse(junit).getroot()
        suite = root if root.tag == "testsuite" else root.find("testsuite")
        if suite is None:
            raise RuntimeError(f"pytest's JUnit report has no <testsuite>: {root.tag}")
        by_folder: dict[str, float] = {}
        slowest = []
        for case in suite.iter("testcase"):
            # classname is dotted: "tests.built_site.test_reader_runs" or
            # "docs.optimizers.md"
            parts = case.get("classname", "").split(".")
            where = "docs (the pages)" if parts[0] == "docs" else "/".join(parts[:2])
            seconds = float(case.get("time", 0))
            by_folder[where] = by_folder.get(where, 0.0) + seconds
            slowest.append((seconds, f"{case.get('classname')}::{case.get('name')}"))
        return {
            "wall": wall,
            "pytest": float(suite.get("time", 0)),
            "tests": int(suite.get("tests", 0)),
            "skipped": int(suite.get("skipped", 0)),
            "by_folder": dict(sorted(by_folder.items(), key=lambda item: -item[1])),
            "slowest": [
                f"{seconds:.2f} s {name}"
                for seconds, name in sorted(slowest, reverse=True)[:8]
            ],
        }


def check_targets(
    rows: list[dict], growth: list[tuple[int, int, float]], weights: list[dict]
) -> list[dict]:
    by_name = {row["measurement"]: row for row in rows}
    floor = by_name["floor: one process, torch + every page's code once"]["seconds"]
    ours = by_name["suite: pytest docs (serial)"]["seconds"]
    targets = [
        {
            "target": "suite (serial) within 1.2x the floor",
            "measured": f"{ours / floor:.2f}x",
            "met": ours <= 1.2 * floor,
        },
    ]
    if "make test, warm (no source change)" in by_name:
        warm = by_name["make test, warm (no source change)"]["seconds"]
        targets.append(
            {
                "target": "warm make test under 60 s",
                "measured": f"{warm:.1f} s",
                "met": warm < 60,
            }
        )
    for name in (
        "alternative: stock pytest-markdown-docs, continuation",
        "alternative: pages as notebooks, Jupyter kernel each",
    ):
        ratio = by_name[name]["ratio_to_ours"]
        targets.append(
            {
                "target": f"{name.split(': ')[1]} slower than ours",
                "measured": f"{ratio:.2f}x ours",
                "met": ratio > 1.1,
            }
        )
    if "build: mkdocs build --strict, warm (no source change)" in by_name:
        warm = by_name["build: mkdocs build --strict, warm (no source change)"][
            "seconds"
        ]
        cold = by_name["build: mkdocs build --strict, cold (no caches)"]["seconds"]
        targets.append(
            {
                "target": "warm build under 5 s",
                "measured": f"{warm:.2f} s",
                "met": warm < 5,
            }
        )
        targets.append(
            {
                "target": "cold build under 30 s",
                "measured": f"{cold:.2f} s",
                "met": cold < 30,
            }
        )
    serial = sorted((pages, s) for pages, workers, s in growth if workers == 1)
    if len(serial) >= 3:
        (p1, t1), (p2, t2), (p3, t3) = serial[0], serial[-2], serial[-1]
        early, late = (t2 - t1) / (p2 - p1), (t3 - t2) / (p3 - p2)
        targets.append(
            {
                "target": "suite time grows linearly with pages"
                " (marginal cost per page stays within 0.67-1.5x)",
                "measured": f"{early * 1000:.0f} ms/page from {p1} to {p2} pages,"
                f" {late * 1000:.0f} ms/page from {p2} to {p3}",
                "met": 0.67 <= late / early <= 1.5,
            }
        )
    if weights:
        heaviest = max(weights, key=lambda w: w["bytes"])
        largest_html = max(weights, key=lambda w: w["html_bytes"])
        targets.append(
            {
                "target": "heaviest page under 1 MB",
                "measured": f"{heaviest['page']} {heaviest['bytes'] / 1024:.0f} kB",
                "met": heaviest["bytes"] < 1024 * 1024,
            }
        )
        targets.append(
            {
                "target": "HTML of any page under 150 KB",
                "measured": f"{largest_html['page']}"
                f" {largest_html['html_bytes'] / 1024:.0f} kB",
                "met": largest_html["html_bytes"] < 150 * 1024,
            }
        )
    return targets
