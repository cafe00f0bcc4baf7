"""`make bench`: warm `make test`, the docs suite and the build, against the floor.

The docs suite is also compared with the alternatives (stock pytest-markdown-docs,
pages as notebooks).

Everything is measured in one run on this machine, side by side, as the median
of several runs (``--runs``); ratios matter more than seconds on a shared box.
Prints a table and writes it as JSON (benchmarks/results/latest.json).

    python -m benchmarks [--runs 3] [--growth 1 4 16]
        [--skip-build] [--skip-weight] [--skip-make-test]
"""

from __future__ import annotations

import argparse
import functools
import json
import platform
import statistics
import time

from benchmarks import measurements
from benchmarks.docs_tree import ROOT, temporary_project

RESULTS = ROOT / "benchmarks" / "results"


def median_seconds(run, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument(
        "--runs",
        type=int,
        default=3,
        help="runs per measurement; the median is reported",
    )
    parser.add_argument(
        "--growth", type=int, nargs="*", default=[1, 4, 16], help="copies of every page"
    )
    parser.add_argument(
        "--skip-build", action="store_true", help="leave out the mkdocs build timings"
    )
    parser.add_argument(
        "--skip-weight",
        action="store_true",
        help="leave out the page weights (needs Chromium)",
    )
    parser.add_argument(
        "--skip-make-test",
        action="store_true",
        help="leave out the timings of `make test` itself",
    )
    args = parser.parse_args(argv)

    rows: list[dict] = []

    def record(name: str, seconds: float, **extra) -> None:
        rows.append({"measurement": name, "seconds": round(seconds, 3), **extra})
        print(f"  {name:<58} {seconds:8.2f} s", flush=True)

    print(f"median of {args.runs} runs each")
    if not args.skip_make_test:
        print("  make test: one run to warm the caches, then the timed runs")
        measurements.make_test()  # after it, nothing has changed since the last run
        runs = [measurements.make_test() for _ in range(args.runs)]
        median = sorted(runs, key=lambda run: run["wall"])[len(runs) // 2]
        record(
            "make test, warm (no source change)",
            median["wall"],
            pytest_seconds=round(median["pytest"], 2),
            tests=median["tests"],
            skipped=median["skipped"],
            test_seconds_by_folder={
                k: round(v, 2) for k, v in median["by_folder"].items()
            },
            slowest=median["slowest"],
        )
        print(
            f"    of which pytest {median['pytest']:.1f} s ({median['tests']} tests,"
            f" {median['skipped']} skipped); test seconds by folder,"
            " both workers summed:"
        )
        for folder, seconds in median["by_folder"].items():
            print(f"      {folder:<40} {seconds:7.1f} s")
        print("    slowest tests:")
        for line in median["slowest"]:
            print(f"      {line}")
        fresh = measurements.make_test(fresh=True)
        record(
            "make test, every report made anew (TEST_REPORT_CACHE=off)",
            fresh["wall"],
            pytest_seconds=round(fresh["pytest"], 2),
            test_seconds_by_folder={
                k: round(v, 2) for k, v in fresh["by_folder"].items()
            },
        )
        for folder, seconds in fresh["by_folder"].items():
            print(f"      {folder:<40} {seconds:7.1f} s")

    floor = median_seconds(measurements.floor, args.runs)
    record("floor: one process, torch + every page's code once", floor)
    for workers in (None, 2):
        label = "serial" if workers is None else f"-n {workers}"
        seconds = median_seconds(
            functools.partial(measurements.suite, workers=workers), args.runs
        )
        record(
            f"suite: pytest docs ({label})",
            seconds,
            ratio_to_floor=round(seconds / floor, 2),
        )
    ours = next(
        row["seconds"]
        for row in rows
        if row["measurement"] == "suite: pytest docs (serial)"
    )
    chained = median_seconds(measurements.stock_continuation, args.runs)
    record(
        "alternative: stock pytest-markdown-docs, continuation",
        chained,
        ratio_to_ours=round(chained / ours, 2),
    )
    notebooks = median_seconds(measurements.notebooks_in_kernels, args.runs)
    record(
        "alternative: pages as notebooks, Jupyter kernel each",
        notebooks,
        ratio_to_ours=round(notebooks / ours, 2),
    )

    if not args.skip_build:
        cold = median_seconds(measurements.cold_build, args.runs)
        record("build: mkdocs build --strict, cold (no caches)", cold)
        warm = median_seconds(measurements.warm_build, args.runs)
        record("build: mkdocs build --strict, warm (no source change)", warm)

    growth = []
    for copies in args.growth:
        with temporary_project(copies) as (tree, pages):
            for workers in (None, 2):
                seconds = median_seconds(
                    functools.partial(measurements.suite, workers=workers, tree=tree),
                    args.runs,
                )
                label = "serial" if workers is None else f"-n {workers}"
                record(
                    f"growth: {pages} pages ({copies}x), {label}",
                    seconds,
                    pages=pages,
                    workers=workers or 1,
                )
                growth.append((pages, workers or 1, seconds))

    weights = [] if args.skip_weight else measurements.page_weights()
    if weights:
        print("\n  page weights (transferred bytes, requests):")
        for weight in weights:
            print(
                f"    {weight['page']:<36} {weight['bytes'] / 1024:8.1f} kB"
                f"  html {weight['html_bytes'] / 1024:6.1f} kB"
                f"  {weight['requests']:3d} requests"
            )

    summary = measurements.check_targets(rows, growth, weights)
    print("\n  targets:")
    for line in summary:
        status = "ok  " if line["met"] else "MISS"
        print(f"    {status} {line['target']}: {line['measured']}")

    RESULTS.mkdir(parents=True, exist_ok=True)
    report = {
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "runs": args.runs,
        },
        "measurements": rows,
        "growth": [
            {"pages": p, "workers": w, "seconds": round(s, 3)} for p, w, s in growth
        ],
        "page_weights": weights,
        "targets": summary,
    }
    (RESULTS / "latest.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"\nwritten to {(RESULTS / 'latest.json').relative_to(ROOT)}")
    return 0 if all(line["met"] for line in summary) else 1


if __name__ == "__main__":
    raise SystemExit(main())
