"""A notebook page is folded as its lesson page is: checks and "???" boxes closed."""

from __future__ import annotations

from site_build.mkdocs_hooks import fold_cells
from site_build.notebooks import (
    CHECK_TAG,
    FOLD_TITLE_TAG,
    FOLDED_TAG,
    _flatten_containers,
)

PAGE = """\
Prose.

??? note "Going deeper: rounding"
    Folded prose.

    ``` python
    x = 1
    ```

???+ note "Open box"
    Open prose.

??? example "Solution"
    The answer.

After.
"""


def test_folded_boxes_are_told_apart_from_open_boxes_and_solutions():
    lines, solution, fold = _flatten_containers(PAGE.splitlines())
    by_text = dict(zip(lines, fold, strict=True))
    assert by_text["**Going deeper: rounding**"] == FOLD_TITLE_TAG
    assert by_text["Folded prose."] == by_text["x = 1"] == FOLDED_TAG
    assert by_text["**Open box**"] is by_text["Open prose."] is None
    assert by_text["The answer."] is None  # solutions go to their own notebook
    assert solution[lines.index("The answer.")]
    assert by_text["After."] is None


def cell(tags: list[str], text: str) -> str:
    """A code cell as nbconvert renders it: nested divs, one class per tag."""
    classes = " ".join(f"celltag_{tag}" for tag in tags)
    return (
        f'<div class="jp-Cell jp-CodeCell {classes}">'
        f'<div class="jp-Cell jp-CodeCell {classes}"><div><p>{text}</p></div></div>'
        "</div>\n"
    )


def markdown_cell(tags: list[str], text: str) -> str:
    """A markdown cell: the tags are classes of its rendering's div."""
    classes = " ".join(f"celltag_{tag}" for tag in tags)
    return (
        '<div class="jp-Cell jp-MarkdownCell jp-Notebook-cell">'
        f'<div class="jp-RenderedMarkdown {classes}"><p>{text}</p></div></div>\n'
    )


def test_a_folded_box_becomes_a_closed_box_under_its_title():
    html = (
        cell([], "lesson")
        + markdown_cell([FOLD_TITLE_TAG], "<strong>Going deeper: rounding</strong>")
        + markdown_cell([FOLDED_TAG], "folded prose")
        + cell([FOLDED_TAG, CHECK_TAG], "folded check")
        + cell([], "after")
    )
    folded = fold_cells(html)
    assert folded.count("<details") == 1
    inside = folded.split('<details class="note"><summary>')[1].split("</details>")[0]
    assert inside.startswith("Going deeper: rounding</summary>")
    assert "folded prose" in inside and "folded check" in inside
    assert "lesson" not in inside and "after" not in inside
    assert "<strong>" not in folded  # the title cell became the summary


def test_each_run_of_check_cells_is_a_closed_checks_box():
    html = (
        cell([], "lesson")
        + cell([CHECK_TAG], "check one")
        + cell([CHECK_TAG], "check two")
        + cell([], "more lesson")
        + cell([CHECK_TAG], "check three")
    )
    folded = fold_cells(html)
    assert folded.count('<details class="checks"><summary>Checks</summary>') == 2
    first = folded.split("<details")[1].split("</details>")[0]
    assert "check one" in first and "check two" in first and "more lesson" not in first
    assert folded.replace("\n", "").endswith(
        "check three</p></div></div></div></details>"
    )


def test_a_page_without_tags_is_left_as_it_is():
    html = cell([], "one") + cell(["install"], "two")
    assert fold_cells(html) == html
