"""Bad input gets a clear error naming the file and line, never a harness crash."""

import pytest

from tests.docs_fixture import fence

PRINTS = """\
# --8<-- [start:prints]
print("hi")
# > hi
# --8<-- [end:prints]
"""


def assert_clear_failure(result, *lines):
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(list(lines))
    assert "INTERNALERROR" not in result.stdout.str()


def test_missing_snippet_file(docs):
    docs.page("page.md", "Intro\n\n" + fence("snippets/nowhere.py:part") + "\n")
    assert_clear_failure(
        docs.run(), "*docs/page.md:4: snippet file 'snippets/nowhere.py' not found*"
    )


def test_missing_section(docs):
    docs.snippet("example.py", PRINTS)
    docs.page("page.md", fence("snippets/example.py:renamed") + "\n")
    assert_clear_failure(
        docs.run(),
        "*docs/page.md:2: section 'renamed' not found in snippets/example.py*",
    )


def test_unknown_fence_option_is_a_collection_error(docs):
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md",
        "# Title\n\n"
        + fence("snippets/example.py:prints", info="python notets")
        + "\n",
    )
    result = docs.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*docs/page.md:3: unknown fence option 'notets' (known options: title=*"]
    )


@pytest.mark.parametrize("option", ["continuation", "fixture:capsys", "retry:2"])
def test_pytest_markdown_docs_options_are_rejected_with_the_reason(docs, option):
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md", fence("snippets/example.py:prints", info=f"python {option}") + "\n"
    )
    result = docs.run()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [f"*docs/page.md:1: fence option '{option}' is not supported: *"]
    )


def test_expected_output_with_no_print_to_match(docs):
    docs.snippet(
        "example.py",
        """\
        # --8<-- [start:silent]
        value = 2
        # > 2
        # --8<-- [end:silent]
        """,
    )
    docs.page("page.md", fence("snippets/example.py:silent") + "\n")
    assert_clear_failure(
        docs.run(),
        "*docs/page.md:1: expected output with no print to match*",
        "at snippets/example.py:3:",
    )


def test_expected_output_before_any_statement(docs):
    docs.snippet(
        "example.py",
        "# --8<-- [start:orphan]\n# > 2\nvalue = 2\n# --8<-- [end:orphan]\n",
    )
    docs.page("page.md", fence("snippets/example.py:orphan") + "\n")
    assert_clear_failure(
        docs.run(), "*docs/page.md:1: expected output with no print to match*"
    )


def test_print_without_expected_output(docs):
    docs.snippet(
        "example.py",
        '# --8<-- [start:loud]\nprint("unannounced")\n# --8<-- [end:loud]\n',
    )
    docs.page("page.md", fence("snippets/example.py:loud") + "\n")
    assert_clear_failure(
        docs.run(),
        "*docs/page.md:1: the statement prints, but no '# >' lines follow it*",
        "at snippets/example.py:2:",
        "# > unannounced",
    )


def test_code_typed_on_a_page(docs):
    docs.page("page.md", "``` python\nprint('typed here')\n```\n")
    assert_clear_failure(
        docs.run(), "*docs/page.md:2: Python code on a page must come from snippets/*"
    )


def test_line_ranges_are_refused(docs):
    docs.snippet("example.py", PRINTS)
    docs.page("page.md", fence("snippets/example.py:2:3") + "\n")
    assert_clear_failure(
        docs.run(), "*docs/page.md:2: include a named section (file.py:section)*"
    )


def test_syntax_error_in_a_snippet(docs):
    docs.snippet(
        "example.py", "# --8<-- [start:broken]\nvalue = (1,\n# --8<-- [end:broken]\n"
    )
    docs.page("page.md", fence("snippets/example.py:broken") + "\n")
    assert_clear_failure(docs.run(), "*docs/page.md:1: syntax error: *")


def test_markdown_docs_flag_is_refused(docs):
    result = docs.run("--markdown-docs")
    assert result.ret != 0
    result.stderr.fnmatch_lines(["*drop --markdown-docs*"])
