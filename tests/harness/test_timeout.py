"""A block that hangs fails after pytest-timeout's limit, naming page, block, statement.

On main before this, a block that hung hung the suite.
"""

from tests.conftest import ROOT
from tests.docs_fixture import fence


def test_pytest_timeout_is_configured():
    config = __import__("tomllib").loads((ROOT / "pyproject.toml").read_text())["tool"][
        "pytest"
    ]["ini_options"]
    assert config["timeout"] == 120 and config["timeout_method"] == "signal"


def test_a_hanging_block_fails_after_the_limit_naming_page_block_and_statement(docs):
    docs.snippet(
        "hang.py",
        "# --8<-- [start:hang]\nimport time\n\n"
        "while True:\n    time.sleep(0.05)\n# --8<-- [end:hang]\n"
        "# --8<-- [start:after]\nprint('after')\n# > after\n# --8<-- [end:after]\n",
    )
    docs.page(
        "page.md",
        f"# Title\n\n{fence('snippets/hang.py:hang')}\n\n"
        f"{fence('snippets/hang.py:after')}\n",
    )
    docs.write(
        "conftest.py",
        "import site_build.torch_state  # torch imported before the timed test\n",
    )
    result = docs.pytester.runpytest_subprocess(
        "-p",
        "no:randomly",
        "-p",
        "no:cacheprovider",
        "-o",
        "timeout=2",
        "-o",
        "timeout_method=signal",
        "-rs",
    )
    result.assert_outcomes(failed=1, skipped=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*docs/page.md:3: the code was stopped:"
                " Timeout (>2.0s) from pytest-timeout.*"
            ),
            "at snippets/hang.py:4:",
            "  > 4 | while True:",
            "*not run: the earlier block at docs/page.md:3 failed*",
        ]
    )
