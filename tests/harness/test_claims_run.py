"""A claim counts only when its assertion ran and passed, in every runner (issue 20).

Escape 1 of issue 20: a ``# Spec:`` comment and a false assertion inside a function
nobody calls were listed as holding, and the matrix recorded "held". Escape 2: a
``# Spec:`` comment above a statement that asserts nothing vanished silently. Here
each runner (the page tests, the standalone runner of the reader's runs and the
matrix, the whole-file runs) observes each assertion run: an assertion that never
ran is an error naming the file and line.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from executable_docs import standalone_runner
from executable_docs.execution import CodeUnit, ExecutionFailure, run_unit
from executable_docs.project import load_project
from executable_docs.snippet_expansion import SourceLine
from executable_docs.snippet_files import run_snippet_file
from site_build.specification import SpecificationError, asserted_behaviours
from tests.docs_fixture import fence

NEVER_CALLED = """\
# --8<-- [start:dead]
def never_called():
    # Spec: one equals two.
    assert 1 == 2


print("defined")
# > defined
# --8<-- [end:dead]
"""


ROOT_FOR_UNITS = Path("/nonexistent-root")  # no file of a unit lives there


def _unit(code: str, label: str = "block") -> CodeUnit:
    lines = code.count("\n") + 1
    return CodeUnit(label, code, tuple(SourceLine(label, n) for n in range(1, lines)))


def test_a_page_whose_assertion_never_runs_fails_naming_file_and_line(docs):
    docs.snippet("example.py", NEVER_CALLED)
    docs.page("page.md", "# Page\n\n" + fence("snippets/example.py:dead") + "\n")
    result = docs.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/page.md:3: the assertion never ran*",
            "at snippets/example.py:4:",
            "  > 4 |     assert 1 == 2",
        ]
    )


def test_an_assertion_that_runs_in_a_later_block_counts(docs):
    docs.snippet(
        "example.py",
        """\
        # --8<-- [start:define]
        def check(value):
            # Spec: the value is one.
            assert value == 1
        # --8<-- [end:define]
        # --8<-- [start:call]
        check(1)
        # --8<-- [end:call]
        """,
    )
    docs.page(
        "page.md",
        f"{fence('snippets/example.py:define')}\n\n{fence('snippets/example.py:call')}\n",
    )
    docs.run().assert_outcomes(passed=2)


@pytest.mark.parametrize(
    "statement",
    [
        "if False:\n    assert 1 == 2",
        "for _ in []:\n    assert 1 == 2",
        "try:\n    pass\nexcept ValueError:\n    assert 1 == 2",
        "x = None\nif x is not None:\n    assert x",
        "def f():\n    import math\n    assert math.pi < 3",
        "class C:\n    def m(self):\n        assert self is None",
        "f = lambda: None\nwhile False:\n    assert f",
    ],
)
def test_an_unexecuted_assertion_at_any_depth_is_an_error(statement):
    unit = _unit(statement + "\n")
    with pytest.raises(ExecutionFailure, match="the assertion never ran"):
        run_unit(unit, {}, ROOT_FOR_UNITS)


def test_an_assertion_call_counts_as_an_assertion():
    unit = _unit("import math\nif False:\n    math.assert_near(1, 2)\n")
    with pytest.raises(ExecutionFailure) as failure:
        run_unit(unit, {}, ROOT_FOR_UNITS)
    assert failure.value.first == 3


def test_an_assertion_that_ran_and_passed_is_fine():
    unit = _unit("for value in [1, 1]:\n    assert value == 1\n")
    run_unit(unit, {}, ROOT_FOR_UNITS)


def test_a_whole_snippet_file_with_an_unexecuted_assertion_fails(tmp_path):
    path = tmp_path / "snippets" / "dead.py"
    path.parent.mkdir()
    path.write_text(NEVER_CALLED)
    with pytest.raises(ExecutionFailure) as failure:
        run_snippet_file(path, tmp_path)
    assert "the assertion never ran" in str(failure.value)
    assert "at snippets/dead.py:4:" in str(failure.value)


def _standalone(chunks: list[str], after_error: str = "continue") -> dict:
    program = {
        "name": "fixture",
        "after_error": after_error,
        "chunks": [
            {"label": f"chunk{i}", "code": code} for i, code in enumerate(chunks)
        ],
    }
    return standalone_runner.run_in_interpreter(sys.executable, program, timeout=120)


def test_the_standalone_runner_reports_each_assertion_and_whether_it_passed():
    report = _standalone(
        [
            (
                "def check(v):\n    assert v == 1\n\n\n"
                "def dead():\n    assert dead is None\n"
            ),
            "check(1)\nassert check is not None\n",
            "for v in [1, 2]:\n    assert v == 1\n",
            "assert check is not None\n",
        ]
    )
    first, second, third, fourth = (chunk["assertions"] for chunk in report["chunks"])
    assert first == {"2": "passed", "6": "not_run"}
    assert second == {"2": "passed"}
    assert third == {"2": "failed"}  # it passed once, then failed: it failed
    assert fourth == {"1": "after_error"}


def test_an_exception_inside_an_assertion_is_raised_not_failed():
    report = _standalone(["import math\nassert math.sqrt(-1) > 0\n"])
    assert report["chunks"][0]["assertions"] == {"2": "raised"}


def test_a_reader_run_whose_assertion_never_ran_is_a_difference():
    from tests.built_site.reader_checks import ReaderChunk, differences, program

    chunks = [
        ReaderChunk(
            "/page/ block 1 (docs/page.md:3)", "def dead():\n    assert 1 == 2\n"
        )
    ]
    run = program("fixture", chunks) | {"must_not_import": []}  # (this is no reader)
    report = standalone_runner.run_in_interpreter(sys.executable, run, timeout=120)
    (problem,) = differences(chunks, report)
    assert problem.startswith(
        "/page/ block 1 (docs/page.md:3): the assertion never ran"
    )


SPEC_ON_NOTHING = """\
# --8<-- [start:claim]
import math

# Spec: the square root of four is two.
math.isclose(math.sqrt(4), 2)
# --8<-- [end:claim]
"""


def test_a_spec_comment_above_a_statement_that_asserts_nothing_is_an_error(docs):
    docs.snippet("example.py", SPEC_ON_NOTHING)
    page = docs.page(
        "page.md", "# Page\n\n" + fence("snippets/example.py:claim") + "\n"
    )
    project = load_project(docs.root / "mkdocs.yml")
    with pytest.raises(SpecificationError) as error:
        asserted_behaviours(project, page)
    assert str(error.value).startswith("snippets/example.py:5: a '# Spec:' comment")
    assert "asserts nothing" in str(error.value)
