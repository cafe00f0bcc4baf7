"""site_build.lesson_code: a block's code split into lesson code, outputs and checks."""

from __future__ import annotations

import ast
import textwrap

import pytest

from executable_docs.markdown_blocks import find_python_blocks
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SnippetExpander
from site_build.lesson_code import (
    CHECK,
    OUTPUT,
    Check,
    LessonCodeError,
    split_lesson_code,
)
from site_build.specification import _is_assertion
from tests.conftest import ROOT

BLOCK = textwrap.dedent(
    """\
    import torch

    x = torch.tensor(3.0, requires_grad=True)
    (x**2).backward()
    print(x.grad)
    # > tensor(6.)
    # Spec: the gradient of x² at x = 3 is 6, which is a sentence long enough
    #       to go on a second line
    torch.testing.assert_close(x.grad, torch.tensor(6.0))

    for p in (0.5, 2.0):  # a loop that teaches something
        y = p * x.detach()
        # Spec: scaling by p scales the value
        assert y == p * 3
        print(p, y.item())
    # > 0.5 1.5
    # > 2.0 6.0
    # a comment that stays
    z = "# Spec: inside a string, not a check"
    """
)


def test_lesson_code_loses_the_checks_and_outputs_and_nothing_else():
    split = split_lesson_code(BLOCK)
    assert split.code == textwrap.dedent(
        """\
        import torch

        x = torch.tensor(3.0, requires_grad=True)
        (x**2).backward()
        print(x.grad)

        for p in (0.5, 2.0):  # a loop that teaches something
            y = p * x.detach()
            print(p, y.item())
        # a comment that stays
        z = "# Spec: inside a string, not a check"
        """
    )
    assert split.outputs == ("tensor(6.)", "0.5 1.5", "2.0 6.0")
    assert split.checks == (
        Check(
            "the gradient of x² at x = 3 is 6, which is a sentence long enough "
            "to go on a second line",
            "torch.testing.assert_close(x.grad, torch.tensor(6.0))",
            9,
        ),
        Check("scaling by p scales the value", "assert y == p * 3", 14),
    )
    assert [(part.kind, part.first) for part in split.parts] == [
        (OUTPUT, 6),
        (CHECK, 7),
        (CHECK, 13),
        (OUTPUT, 16),
    ]


def test_the_checks_source_is_each_check_as_it_runs_dedented():
    assert split_lesson_code(BLOCK).checks_source() == textwrap.dedent(
        """\
        # Spec: the gradient of x² at x = 3 is 6, which is a sentence long enough
        #       to go on a second line
        torch.testing.assert_close(x.grad, torch.tensor(6.0))

        # Spec: scaling by p scales the value
        assert y == p * 3"""
    )


def test_rejoin_gives_back_the_code_exactly():
    split = split_lesson_code(BLOCK)
    assert split.rejoin() == BLOCK
    without_outputs = split.rejoin(outputs=False)
    assert "# >" not in without_outputs
    assert without_outputs.splitlines() == [
        line for line in BLOCK.splitlines() if not line.startswith("# >")
    ]


def test_rejoin_accepts_the_lesson_code_as_a_copy_button_gives_it():
    code = "\nx = 1\n# Spec: one is one\nassert x == 1\n\n"
    split = split_lesson_code(code)
    assert split.code == "\nx = 1\n\n"
    assert split.rejoin("x = 1") == code
    assert split.rejoin("x = 1\n") == code
    with pytest.raises(ValueError, match="not this block's lesson code"):
        split.rejoin("x = 2")


def test_a_block_without_checks_or_output_is_all_lesson_code():
    code = "import torch\n\nx = torch.ones(2)\n"
    split = split_lesson_code(code)
    assert (split.code, split.outputs, split.checks, split.parts) == (code, (), (), ())
    assert split.rejoin() == code


def test_a_loop_holding_only_checks_leaves_with_them():
    code = textwrap.dedent(
        """\
        for group in groups:
            print(group)
            for old, p in zip(olds, group):
                # Spec: each parameter moved
                assert p != old
        # > 1
        done = True
        """
    )
    split = split_lesson_code(code)
    assert split.code == "for group in groups:\n    print(group)\ndone = True\n"
    assert split.checks == (Check("each parameter moved", "assert p != old", 5),)
    assert split.checks_source() == (
        "for old, p in zip(olds, group):\n"
        "    # Spec: each parameter moved\n"
        "    assert p != old"
    )
    assert split.rejoin() == code


def test_a_function_holding_only_checks_is_an_error():
    code = "def check(x):\n    # Spec: x is one\n    assert x == 1\n"
    with pytest.raises(LessonCodeError, match="line 1: .*nothing but checks"):
        split_lesson_code(code)


def test_a_spec_comment_above_something_else_is_an_error_naming_the_line():
    code = "x = 1\n# Spec: x is one\ny = x\n"
    with pytest.raises(LessonCodeError, match=r"line 3: .*directly above.*'y = x'"):
        split_lesson_code(code)


def test_output_lines_before_any_statement_are_an_error():
    with pytest.raises(LessonCodeError, match="line 1: expected output"):
        split_lesson_code("# > 1\nx = 1\n")


def test_every_block_of_the_site_splits_and_rejoins_exactly():
    """The pages' code: each block's parts give back the code that runs, and the
    checks found are the Specification page's."""
    project = load_project(ROOT / "mkdocs.yml")
    expander = SnippetExpander(project)
    checks = 0
    for page in sorted(project.docs_dir.rglob("*.md")):
        for block in find_python_blocks(page):
            code = expander.expand(block).code
            split = split_lesson_code(code)
            where = f"{page.name}:{block.line}"
            assert split.rejoin() == code, where
            assertions = [
                node.lineno for node in ast.walk(ast.parse(code)) if _is_assertion(node)
            ]
            assert sorted(check.line for check in split.checks) == sorted(assertions)
            assert not any(
                _is_assertion(node) for node in ast.walk(ast.parse(split.code))
            ), where
            checks += len(split.checks)
    assert checks > 0
