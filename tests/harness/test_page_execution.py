"""Pages run as the site shows them: every block, in page order, outputs checked."""

from tests.docs_fixture import fence

GREETING = """\
# --8<-- [start:define]
greeting = "hello"
# --8<-- [end:define]

# --8<-- [start:show]
print(greeting, 6 * 7, 0.1 + 0.2)
# > hello 42 0.30000000000000004
# --8<-- [end:show]
"""


def test_blocks_share_one_namespace_and_outputs_are_checked(docs):
    docs.snippet("example.py", GREETING)
    docs.page(
        "page.md",
        f"{fence('snippets/example.py:define')}\n\ntext\n\n{fence('snippets/example.py:show')}\n",
    )
    result = docs.run()
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines(
        ["*1 pages, 2 executable Python blocks, 0 marked notest*"]
    )


def test_a_changed_number_fails_naming_page_snippet_and_both_lines(docs):
    docs.snippet("example.py", GREETING.replace("# > hello 42", "# > hello 43"))
    docs.page(
        "page.md",
        f"# Title\n\n{fence('snippets/example.py:define')}\n\n"
        f"{fence('snippets/example.py:show')}\n",
    )
    result = docs.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/page.md:7: printed output differs from the '# >' lines*",
            "at snippets/example.py:6:",
            "  > 6 | print(greeting, 6 [*] 7, 0.1 + 0.2)",
            "  ! expected: hello 43 0.30000000000000004",
            "  ! printed:  hello 42 0.30000000000000004",
        ]
    )


def test_floats_match_within_their_last_printed_digit_only(docs):
    docs.snippet(
        "numbers.py",
        """\
        # --8<-- [start:close]
        print(f"{2 / 3:.4f}")
        # > 0.6668
        # --8<-- [end:close]
        # --8<-- [start:far]
        print(f"{2 / 3:.4f}")
        # > 0.6669
        # --8<-- [end:far]
        """,
    )
    docs.page(
        "page.md",
        f"{fence('snippets/numbers.py:close')}\n\n{fence('snippets/numbers.py:far')}\n",
    )
    result = docs.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*! expected: 0.6669*", "*! printed:  0.6667*"])


def test_an_exception_shows_the_snippet_traceback(docs):
    docs.snippet(
        "boom.py",
        """\
        # --8<-- [start:boom]
        values = [1, 2]
        values[5]
        # --8<-- [end:boom]
        """,
    )
    docs.page("page.md", fence("snippets/boom.py:boom") + "\n")
    result = docs.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/page.md:1: the code raised*",
            "at snippets/boom.py:3:",
            "  > 3 | values[5]",
            '  File "snippets/boom.py", line 3, in <module>',
            "IndexError: list index out of range",
        ]
    )
    assert "executable_docs" not in result.stdout.str()


def test_blocks_inside_admonitions_tabs_and_details_run(docs):
    docs.snippet(
        "nested.py",
        """\
        # --8<-- [start:one]
        seen = ["admonition"]
        # --8<-- [end:one]
        # --8<-- [start:two]
        seen.append("tab")
        # --8<-- [end:two]
        # --8<-- [start:three]
        seen.append("details")
        print(seen)
        # > ['admonition', 'tab', 'detail']
        # --8<-- [end:three]
        """,
    )
    docs.page(
        "page.md",
        f"""\
!!! note "A note"
    Some text.

{fence("snippets/nested.py:one", indent="    ")}

=== "First tab"

{fence("snippets/nested.py:two", indent="    ")}

??? tip "Open me"
    === "Nested tab"

{fence("snippets/nested.py:three", indent="        ")}
""",
    )
    result = docs.run()
    result.assert_outcomes(passed=2, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/page.md:17: printed output differs*",
            "*! expected: ?'admonition', 'tab', 'detail'?",
        ]
    )


def test_later_blocks_are_skipped_after_a_failure(docs):
    docs.snippet(
        "chain.py",
        """\
        # --8<-- [start:fail]
        raise ValueError("first block fails")
        # --8<-- [end:fail]
        # --8<-- [start:after]
        print("never")
        # > never
        # --8<-- [end:after]
        """,
    )
    docs.page(
        "page.md",
        f"{fence('snippets/chain.py:fail')}\n\n{fence('snippets/chain.py:after')}\n",
    )
    result = docs.run("-rs")
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        ["*not run: the earlier block at docs/page.md:1 failed*"]
    )


def test_notest_blocks_are_not_run_and_are_counted(docs):
    docs.snippet(
        "skip.py",
        '# --8<-- [start:skip]\nraise SystemExit("must not run")\n'
        "# --8<-- [end:skip]\n",
    )
    docs.page(
        "page.md", fence("snippets/skip.py:skip", info="{ .python .notest }") + "\n"
    )
    docs.page(
        "other.md",
        fence("snippets/skip.py:skip", info='{ .py .notest title="x" }') + "\n",
    )
    docs.snippet("fine.py", "# --8<-- [start:ok]\nvalue = 1\n# --8<-- [end:ok]\n")
    docs.page("third.md", fence("snippets/fine.py:ok") + "\n")
    result = docs.run()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*1 executable Python blocks, 2 marked notest*",
            "*notest: docs/other.md:1",
            "*notest: docs/page.md:1",
        ]
    )


def test_files_outside_docs_dir_are_not_collected(docs):
    docs.write(
        "README.md", "``` python\nraise SystemExit('README is not a page')\n```\n"
    )
    docs.snippet("fine.py", "# --8<-- [start:ok]\nvalue = 1\n# --8<-- [end:ok]\n")
    docs.page("page.md", fence("snippets/fine.py:ok") + "\n")
    docs.run().assert_outcomes(passed=1)
