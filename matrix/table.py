"""Print, from matrix/results/, what differs across torch releases (Markdown tables).

    python -m matrix.table

1. per release: install time and size, run time, and how many behaviours have each
   status;
2. every behaviour whose status is not the same on every release, by release;
3. per release, the statements that raised (not depending on an earlier failure), the
   printed outputs that differ from the page, and the declared statements that ran on
   a release older than their need.
"""

from __future__ import annotations

from matrix.driver import ROOT
from site_build import version_ranges

MARKS = {
    "held": "ok",
    "failed": "FAIL",
    "raised": "raised",
    "after_error": "(after error)",
    "not_applicable": "n/a",
    "not_run": "-",
}


def main() -> None:
    files = version_ranges.result_files(ROOT)
    results = [version_ranges.read_result(f) for f in files]
    statuses = version_ranges.STATUSES
    print(
        "| torch | numpy | install s | venv MB | run s | " + " | ".join(statuses) + " |"
    )
    print("|---|---|---|---|---|" + "---|" * len(statuses))
    for r in results:
        found = list(r["behaviours"].values())
        counts = " | ".join(str(found.count(status)) for status in statuses)
        print(
            f"| {r['torch']} | {r['versions']['numpy']} | {r['install_seconds']} | "
            f"{r['env_megabytes']} | {r['run_seconds']} | {counts} |"
        )
    names = sorted({b for r in results for b in r["behaviours"]})
    print(
        "\n| behaviour | "
        + " | ".join(version_ranges.short(r["torch"]) for r in results)
        + " |"
    )
    print("|---|" + "---|" * len(results))
    for name in names:
        row = [r["behaviours"].get(name, "absent") for r in results]
        if len(set(row)) > 1:
            print(f"| {name} | " + " | ".join(MARKS.get(s, s) for s in row) + " |")
    print()
    for r in results:
        for page, record in sorted(r["pages"].items()):
            for kind in ("raised", "output_differs", "not_applicable"):
                for line in dict.fromkeys(record[kind]):
                    print(f"- {r['torch']} {page} {kind}: {line}")


if __name__ == "__main__":
    main()
