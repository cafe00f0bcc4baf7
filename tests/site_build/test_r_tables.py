"""The R -> PyTorch mapping tables: rows read from a script, rendered as Markdown."""

from __future__ import annotations

import ast
import io
import re
import textwrap
import tokenize
from pathlib import Path

import markdown
import pytest

from site_build.r_tables import (
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
# R: x <- torch_randn(c(3, 2, 3))
x = torch.randn(3, 2, 3)
# Spec: setup and asserts are not rows
assert x.shape == (3, 2, 3)
# R: x[, 1, NULL]
column = x[:, 0:1]  # a trailing comment is not part of the cell
# --8<-- [end:tensors]

# --8<-- [start:autograd]
w = torch.tensor(1.5, requires_grad=True)
(w * w).backward()
# R: with_no_grad({ w$sub_(0.1 * w$grad) })
with torch.no_grad():
    w -= 0.1 * w.grad
# R: both <- torch_cat(list(w$view(1), w$view(1)))
both = torch.cat(
    [w.detach().view(1), w.detach().view(1)]
)
# R: grouped <- optim_sgd(
#      list(list(params = list(w), lr = 0.01)),
#      lr = 0.1
#    )
grouped = torch.optim.SGD([{"params": [w], "lr": 0.01}], lr=0.1)
# --8<-- [end:autograd]
"""
# The R call of SMALL's last row, as its cell reads (the comment's indent kept).
GROUPED_R = (
    "grouped <- optim_sgd(\n  list(list(params = list(w), lr = 0.01)),\n  lr = 0.1\n)"
)


def write(tmp_path: Path, text: str, name: str = "mapping.py") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def cells(html: str) -> list[list[str]]:
    """The text of each body row's cells: tags removed, entities decoded.

    The entities are those for spaces and < > &.
    """
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)[1:]:
        texts = re.findall(r"<td>(.*?)</td>", row, flags=re.DOTALL)
        decoded = []
        for text in texts:
            text = text.replace("<br />", "\n").replace("<br>", "\n")
            text = re.sub(r"</?code>", "", text)
            for entity, char in (
                ("&nbsp;", " "),
                ("&lt;", "<"),
                ("&gt;", ">"),
                ("&quot;", '"'),
                ("&amp;", "&"),
            ):
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
        (
            "tensors",
            "x[, 1, NULL]",
            "column = x[:, 0:1]",
        ),
        (
            "autograd",
            "with_no_grad({ w$sub_(0.1 * w$grad) })",
            "with torch.no_grad():\n    w -= 0.1 * w.grad",
        ),
        (
            "autograd",
            "both <- torch_cat(list(w$view(1), w$view(1)))",
            "both = torch.cat(\n    [w.detach().view(1), w.detach().view(1)]\n)",
        ),
        (
            "autograd",
            GROUPED_R,
            'grouped = torch.optim.SGD([{"params": [w], "lr": 0.01}], lr=0.1)',
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
    assert (
        "| `with torch.no_grad():`<br>&nbsp;&nbsp;&nbsp;&nbsp;`w -= 0.1 * w.grad` |"
        in table
    )
    assert cells(render_html(table))[0] == [
        "with_no_grad({ w$sub_(0.1 * w$grad) })",
        "with torch.no_grad():\n    w -= 0.1 * w.grad",
    ]


def test_pipes_backticks_and_markup_survive_rendering(tmp_path):
    path = write(
        tmp_path,
        """\
        # --8<-- [start:odd]
        # R: flags <- c(a = 1) | x$`odd name` < 2 * y * z_1_
        flags = {"a": 1} | {"b": 2}
        # R: name <- "`quoted`"
        name = "`quoted`"
        # --8<-- [end:odd]
        """,
    )
    table = render_mapping_table(path, "odd")
    assert (
        "\\|" not in table
    )  # Python-Markdown would show the backslash; a code span's pipe needs no escape
    assert cells(render_html(table)) == [
        [
            "flags <- c(a = 1) | x$`odd name` < 2 * y * z_1_",
            'flags = {"a": 1} | {"b": 2}',
        ],
        ['name <- "`quoted`"', 'name = "`quoted`"'],
    ]


def test_multi_line_r_code_is_one_cell_with_line_breaks(tmp_path):
    table = render_mapping_table(write(tmp_path, SMALL), "autograd")
    assert (
        "| `grouped <- optim_sgd(`<br>"
        "&nbsp;&nbsp;`list(list(params = list(w), lr = 0.01)),`<br>" in table
    )
    assert cells(render_html(table))[-1] == [
        GROUPED_R,
        'grouped = torch.optim.SGD([{"params": [w], "lr": 0.01}], lr=0.1)',
    ]


def test_a_decorated_statement_is_shown_with_its_decorator(tmp_path):
    path = write(
        tmp_path,
        """\
        import functools
        # --8<-- [start:s]
        # R: cached <- memoise::memoise(function(x) x)
        @functools.cache
        def cached(x):
            return x
        # --8<-- [end:s]
        """,
    )
    assert mapping_rows(path) == [
        (
            "s",
            "cached <- memoise::memoise(function(x) x)",
            "@functools.cache\ndef cached(x):\n    return x",
        )
    ]


def test_unknown_section_names_the_file_and_the_sections(tmp_path):
    path = write(tmp_path, SMALL)
    with pytest.raises(
        MappingError,
        match=r"mapping\.py: no section 'losses' \(sections: tensors, autograd\)",
    ):
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
            # R: y <- 1
            y = 1
            # --8<-- [end:s]
            # R: z <- 2
            z = 2
            """,
            5,
            "outside every '# --8<-- [start:...]' section",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            y = 1
            for i in range(2):
                # R: y <- y + i
                y += i
            # --8<-- [end:s]
            """,
            5,
            "must sit directly above a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: torch_randn(2)

            y = 1
            # --8<-- [end:s]
            """,
            2,
            "must sit directly above a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            # a plain comment between the R code and its statement
            y = 1
            # --8<-- [end:s]
            """,
            2,
            "must sit directly above a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            y = (
                # R: y <- 1
                1
            )
            # --8<-- [end:s]
            """,
            3,
            "must sit directly above a top-level statement",
        ),
        (
            """\
            # --8<-- [start:s]
            y = 1  # R: y <- 1
            # --8<-- [end:s]
            """,
            2,
            "goes on its own line, directly above its statement",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            y = 1; z = 2
            # --8<-- [end:s]
            """,
            3,
            "several statements",
        ),
        (
            """\
            # --8<-- [start:s]
            # R:
            y = 1
            # --8<-- [end:s]
            """,
            2,
            "names no R code",
        ),
        (
            """\
            # --8<-- [start:outer]
            # --8<-- [start:inner]
            # R: y <- 1
            y = 1
            # --8<-- [end:inner]
            # --8<-- [end:outer]
            """,
            2,
            "must not nest",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            y = 1
            """,
            1,
            "section 's' is never ended",
        ),
        (
            """\
            # R: y <- 1
            y = 1
            # --8<-- [end:s]
            """,
            3,
            "end of section 's', which was not started",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            y = 1
            # --8<-- [end:s]
            # --8<-- [start:s]
            # R: z <- 1
            z = 1
            # --8<-- [end:s]
            """,
            5,
            "section 's' is defined twice",
        ),
        (
            """\
            # --8<-- [start:s]
            # R: y <- 1
            y = (1
            # --8<-- [end:s]
            """,
            3,
            "syntax error",
        ),
    ],
    ids=[
        "empty-section",
        "row-outside-sections",
        "comment-inside-a-block",
        "blank-line-before-the-statement",
        "other-comment-before-the-statement",
        "comment-inside-a-statement",
        "trailing-comment",
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
        # R: text <- "..."
        text = "# R: not a comment"
        # --8<-- [end:s]
        """,
    )
    assert mapping_rows(path) == [("s", 'text <- "..."', 'text = "# R: not a comment"')]


# --- the real script and page ------------------------------------------------------


def test_every_commented_statement_of_the_real_script_is_a_row():
    text = MAPPING.read_text(encoding="utf-8")
    lines = text.split("\n")
    r_lines = [n for n, line in enumerate(lines, start=1) if line.startswith("# R:")]
    rows = mapping_rows(MAPPING)
    assert len(rows) == len(r_lines)
    assert len(rows) > 30
    for row, r_line in zip(rows, r_lines):
        assert (
            lines[r_line - 1].split("# R:", 1)[1].strip() == row.r_call.split("\n")[0]
        )
        below = r_line + row.r_call.count("\n")  # the last line of the R comment
        assert (
            lines[below] == row.python.split("\n")[0]
        )  # the statement starts right below it
        assert (
            len(ast.parse(row.python).body) == 1
        )  # each row is one statement that parses on its own


def test_the_real_script_has_no_trailing_r_comment():
    text = MAPPING.read_text(encoding="utf-8")
    for token in tokenize.generate_tokens(io.StringIO(text).readline):
        if token.type == tokenize.COMMENT and "R:" in token.string:
            assert token.start[1] == 0, f"line {token.start[0]}: {token.line}"


def test_the_page_shows_every_section_once_and_only_real_sections():
    sections = list(dict.fromkeys(row.section for row in mapping_rows(MAPPING)))
    markers = re.findall(
        r"^<!-- r-mapping: snippets/from_r/mapping\.py:([-\w]+) -->$",
        PAGE.read_text(),
        re.MULTILINE,
    )
    assert markers == sections


def test_the_real_tables_render_every_row():
    sections = dict.fromkeys(row.section for row in mapping_rows(MAPPING))
    html = render_html(
        "\n\n".join(render_mapping_table(MAPPING, section) for section in sections)
    )
    rendered = [cell for row in cells(html) for cell in row]
    for row in mapping_rows(MAPPING):
        assert row.r_call in rendered and row.python in rendered
