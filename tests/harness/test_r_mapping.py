"""The R -> PyTorch mapping tables: rows read from a script, rendered as Markdown tables."""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import markdown
import pytest

from executable_docs.r_mapping import (
    MappingError,
    MappingRow,
    mapping_rows,
    render_mapping_table,
)

ROOT = Path(__file__).resolve().parents[2]
MAPPING = ROOT / "snippets" / "from_r" / "mapping.py"
PAGE = ROOT / "docs" / "coming-from-r.md"

SMALL = """\
import torch

# --8<-- [start:tensors]
x = torch.randn(3, 2, 3)  # R: x <- torch_randn(c(3, 2, 3))
assert x.shape == (3, 2, 3)  # setup and asserts are not rows
column = x[:, 0:1]  # R: x[, 1, NULL]
# --8<-- [end:tensors]

# --8<-- [start:autograd]
w = torch.tensor(1.5, requires_grad=True)
(w * w).backward()
with torch.no_grad():  # R: with_no_grad({ w$sub_(0.1 * w$grad) })
    w -= 0.1 * w.grad
both = torch.cat(  # R: both <- torch_cat(list(w$view(1), w$view(1)))
    [w.detach().view(1), w.detach().view(1)]
)
# --8<-- [end:autograd]
"""


def write(tmp_path: Path, text: str, name: str = "mapping.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cells(html: str) -> list[list[str]]:
    """The text of each body row's cells, tags removed, entities for spaces and < > & decoded."""
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.S)[1:]:
        texts = re.findall(r"<td>(.*?)</td>", row, flags=re.S)
        decoded = []
        for text in texts:
            text = text.replace("<br />", "\n").replace("<br>", "\n")
            text = re.sub(r"</?code>", "", text)
            for entity, char in (("&nbsp;", " "), ("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&amp;", "&")):
                text = text.replace(entity, char)
            decoded.append(text)
        rows.append(decoded)
    return rows


def render_html(table: str) -> str:
    return markdown.markdown(table, extensions=["tables"])


# --- rows from a small script -------------------------------------------------


def test_rows_are_statements_with_an_r_comment(tmp_path):
    rows = mapping_rows(write(tmp_path, SMALL))
    assert rows == [
        ("tensors", "x <- torch_randn(c(3, 2, 3))", "x = torch.randn(3, 2, 3)"),
        ("tensors", "x[, 1, NULL]", "column = x[:, 0:1]"),
        ("autograd", "with_no_grad({ w$sub_(0.1 * w$grad) })", "with torch.no_grad():\n    w -= 0.1 * w.grad"),
        (
            "autograd",
            "both <- torch_cat(list(w$view(1), w$view(1)))",
            "both = torch.cat(\n    [w.detach().view(1), w.detach().view(1)]\n)",
        ),
    ]
    assert all(isinstance(row, MappingRow) for row in rows)
    assert rows[0].section == "tensors" and rows[0].r_call.startswith("x <-")


def test_row_code_is_the_statement_and_still_parses(tmp_path):
    for row in mapping_rows(write(tmp_path, SMALL)):
        assert "# R:" not in row.python
        assert len(ast.parse(row.python).body) == 1


def test_table_markdown(tmp_path):
    table = render_mapping_table(write(tmp_path, SMALL), "tensors")
    assert table == (
        "| R torch | PyTorch |\n"
        "| --- | --- |\n"
        "| `x <- torch_randn(c(3, 2, 3))` | `x = torch.randn(3, 2, 3)` |\n"
        "| `x[, 1, NULL]` | `column = x[:, 0:1]` |\n"
    )


def test_multi_line_statement_is_one_cell_with_line_breaks(tmp_path):
    table = render_mapping_table(write(tmp_path, SMALL), "autograd")
    assert "| `with torch.no_grad():`<br>&nbsp;&nbsp;&nbsp;&nbsp;`w -= 0.1 * w.grad` |" in table
    assert cells(render_html(table))[0] == [
        "with_no_grad({ w$sub_(0.1 * w$grad) })",
        "with torch.no_grad():\n    w -= 0.1 * w.grad",
    ]


def test_pipes_backticks_and_markup_survive_rendering(tmp_path):
    path = write(
        tmp_path,
        """\
        # --8<-- [start:odd]
        flags = {"a": 1} | {"b": 2}  # R: flags <- c(a = 1) | x$`odd name` < 2 * y * z_1_
        name = "`quoted`"  # R: name <- "`quoted`"
        # --8<-- [end:odd]
        """,
    )
    table = render_mapping_table(path, "odd")
    assert "\\|" not in table  # Python-Markdown would show the backslash; a code span's pipe needs no escape
    assert cells(render_html(table)) == [
        ["flags <- c(a = 1) | x$`odd name` < 2 * y * z_1_", 'flags = {"a": 1} | {"b": 2}'],
        ['name <- "`quoted`"', 'name = "`quoted`"'],
    ]


def test_unknown_section_names_the_file_and_the_sections(tmp_path):
    path = write(tmp_path, SMALL)
    with pytest.raises(MappingError, match=r"mapping\.py: no section 'losses' \(sections: tensors, autograd\)"):
        render_mapping_table(path, "losses")


# --- errors name the file and line ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            """\
            import torch
            # --8<-- [start:empty]
            x = torch.zeros(2)
            # --8<-- [end:empty]
            """,
            2,
            "section 'empty' has no rows",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R: y <- 1
            # --8<-- [end:s]
            z = 2  # R: z <- 2
            """,
            4,
            "outside every '# --8<-- [start:...]' section",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R: y <- 1
            for i in range(2):
                y += i  # R: y <- y + i
            # --8<-- [end:s]
            """,
            4,
            "must end the first line of a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: torch_randn(2)
            y = 1  # R: y <- 1
            # --8<-- [end:s]
            """,
            2,
            "must end the first line of a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            y = (  # plain comment
                1  # R: y <- 1
            )
            # --8<-- [end:s]
            """,
            3,
            "must end the first line of a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1; z = 2  # R: y <- 1
            # --8<-- [end:s]
            """,
            2,
            "several statements",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R:
            # --8<-- [end:s]
            """,
            2,
            "names no R code",
        ),
        (
            """\
            # --8<-- [start:outer]
            # --8<-- [start:inner]
            y = 1  # R: y <- 1
            # --8<-- [end:inner]
            # --8<-- [end:outer]
            """,
            2,
            "must not nest",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R: y <- 1
            """,
            1,
            "section 's' is never ended",
        ),
        (
            """\
            y = 1  # R: y <- 1
            # --8<-- [end:s]
            """,
            2,
            "end of section 's', which was not started",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R: y <- 1
            # --8<-- [end:s]
            # --8<-- [start:s]
            z = 1  # R: z <- 1
            # --8<-- [end:s]
            """,
            4,
            "section 's' is defined twice",
        ),
        (
            """\
            # --8<-- [start:s]
            y = (1  # R: y <- 1
            # --8<-- [end:s]
            """,
            2,
            "syntax error",
        ),
    ],
    ids=[
        "empty-section",
        "row-outside-sections",
        "comment-inside-a-block",
        "comment-on-its-own-line",
        "comment-on-a-later-line",
        "two-statements-on-a-line",
        "no-r-code",
        "nested-sections",
        "unclosed-section",
        "end-without-start",
        "duplicate-section",
        "syntax-error",
    ],
)
def test_errors_name_file_and_line(tmp_path, text, line, message):
    path = write(tmp_path, text, "broken.py")
    with pytest.raises(MappingError) as caught:
        mapping_rows(path)
    assert str(caught.value).startswith(f"{path}:{line}: ")
    assert message in str(caught.value)


def test_an_r_comment_inside_a_string_is_not_a_row(tmp_path):
    path = write(
        tmp_path,
        """\
        # --8<-- [start:s]
        text = "# R: not a comment"  # R: text <- "..."
        # --8<-- [end:s]
        """,
    )
    assert mapping_rows(path) == [("s", 'text <- "..."', 'text = "# R: not a comment"')]


# --- the real script and page ------------------------------------------------------


def test_every_commented_statement_of_the_real_script_is_a_row():
    text = MAPPING.read_text(encoding="utf-8")
    lines = text.split("\n")
    commented = [node for node in ast.parse(text).body if "# R:" in lines[node.lineno - 1]]
    rows = mapping_rows(MAPPING)
    assert len(rows) == len(commented)
    assert len(rows) > 30
    for row, node in zip(rows, commented):
        assert lines[node.lineno - 1].split("# R:", 1)[1].strip() == row.r_call
        assert row.python.split("\n")[0] in lines[node.lineno - 1]
        assert len(ast.parse(row.python).body) == 1  # each row is one statement that parses on its own


def test_the_page_shows_every_section_once_and_only_real_sections():
    sections = list(dict.fromkeys(row.section for row in mapping_rows(MAPPING)))
    markers = re.findall(r"^<!-- r-mapping: snippets/from_r/mapping\.py:([-\w]+) -->$", PAGE.read_text(), re.M)
    assert markers == sections


def test_the_real_tables_render_every_row():
    sections = dict.fromkeys(row.section for row in mapping_rows(MAPPING))
    html = render_html("\n\n".join(render_mapping_table(MAPPING, section) for section in sections))
    rendered = [cell for row in cells(html) for cell in row]
    for row in mapping_rows(MAPPING):
        assert row.r_call in rendered and row.python in rendered
