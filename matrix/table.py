"""Print, from matrix/results/, what differs across torch releases (Markdown tables).

    python -m matrix.table

1. the cost of each release (install time and size, run time);
2. every behaviour that does not hold on every release, with its status per release;
3. per release, the statements that raised (not after an earlier exception) and the
   printed outputs that differ from the page (first differing line).
"""

from __future__ import annotations

import json

from matrix.driver import RESULTS
from site_build.version_ranges import release_key, short

MARKS = {
    "held": "ok",
    "failed": "FAIL",
    "raised": "raised",
    "not_reached": "-",
    "after_error": "(after error)",
    "not_applicable": "n/a",
    "not_run": "-",
}


def main() -> None:
    results = sorted(
        (
            json.loads(f.read_text(encoding="utf-8"))
            for f in RESULTS.glob("torch-*.json")
        ),
        key=lambda r: release_key(r["torch"]),
    )
    print("| torch | numpy | install s | venv MB | run s | held | other |")
    print("|---|---|---|---|---|---|---|")
    for r in results:
        statuses = list(r["behaviours"].values())
        other = {s: statuses.count(s) for s in sorted(set(statuses)) if s != "held"}
        print(
            f"| {r['torch']} | {r['versions']['numpy']} | {r['install_seconds']} | {r['env_megabytes']} | "
            f"{r['run_seconds']} | {statuses.count('held')} | {other or ''} |"
        )
    names = sorted({b for r in results for b in r["behaviours"]})
    print("\n| behaviour | " + " | ".join(short(r["torch"]) for r in results) + " |")
    print("|---|" + "---|" * len(results))
    for name in names:
        row = [r["behaviours"].get(name, "absent") for r in results]
        if any(status != "held" for status in row):
            print(f"| {name} | " + " | ".join(MARKS.get(s, s) for s in row) + " |")
    for r in results:
        for page, found in sorted(r["pages"].items()):
            for line in found["raised"]:
                print(f"- {r['torch']} {page} raised: {line}")
            for line in dict.fromkeys(found["output_differs"]):
                print(f"- {r['torch']} {page} output: {line}")


if __name__ == "__main__":
    main()
