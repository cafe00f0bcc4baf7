"""No Python block the site shows escapes the tests (issue 9, "No silent escape").

On main before this, each case here was skipped with everything green: a fence
spelled ``Python``, a fence directly inside ``<div markdown>`` or
``<details markdown>``, an unclosed last fence, and ``notest`` spellings that
render broken or still run.
"""

import markdown
import pytest

from executable_docs.markdown_blocks import NOTEST_CSS_CLASS, NOTEST_SPELLING
from tests.docs_fixture import fence

PRINTS = '# --8<-- [start:prints]\nprint("ran")\n# > ran\n# --8<-- [end:prints]\n'
WRONG = (
    '# --8<-- [start:wrong]\nprint("ran")\n'
    "# > not what it prints\n# --8<-- [end:wrong]\n"
)


def assert_collection_error(result, line):
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([line])
    assert "INTERNALERROR" not in result.stdout.str()


@pytest.mark.parametrize("language", ["Python", "PYTHON", "Py", "py3", "Python3"])
def test_python_language_spelled_in_any_case_is_run(docs, language):
    docs.snippet("example.py", WRONG)
    docs.page("page.md", fence("snippets/example.py:wrong", info=language) + "\n")
    result = docs.run()
    result.assert_outcomes(failed=1)  # it ran: its wrong output is caught
    result.stdout.fnmatch_lines(["*docs/page.md:1: printed output differs*"])


@pytest.mark.parametrize(
    "opening",
    [
        "<div markdown>",
        '<div class="grid" markdown="1">',
        "<details markdown>\n<summary>More</summary>",
        "<div>",
    ],
)
def test_fence_directly_inside_an_html_block_is_run(docs, opening):
    docs.snippet("example.py", WRONG)
    closing = "</details>" if "details" in opening else "</div>"
    docs.page(
        "page.md",
        f"Intro\n\n{opening}\n{fence('snippets/example.py:wrong')}\n{closing}\n",
    )
    result = docs.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*printed output differs*"])


def test_unclosed_fence_is_a_collection_error_naming_page_and_line(docs):
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md",
        f"{fence('snippets/example.py:prints')}\n\nText\n\n"
        '``` python\n--8<-- "snippets/example.py:prints"\n',
    )
    assert_collection_error(
        docs.run(),
        "*docs/page.md:7: the fence '``` python' is never closed: it renders as text*",
    )


def test_unclosed_fence_renders_as_text():
    html = markdown.markdown(
        "Intro\n\n``` python\nx = 1\n", extensions=["pymdownx.superfences"]
    )
    assert "<p>``` python" in html and "language-python" not in html


@pytest.mark.parametrize("text_before", ["Some prose\n", "Some prose\n\n"])
def test_fence_indented_under_prose_is_a_collection_error(docs, text_before):
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md",
        f"# Title\n\n{text_before}"
        f"{fence('snippets/example.py:prints', indent='    ')}\n",
    )
    line = 3 + text_before.count("\n")
    assert_collection_error(
        docs.run(),
        f"*docs/page.md:{line}: '``` python' renders as text, not as a code block*",
    )


@pytest.mark.parametrize(
    "info",
    ["python notest", "{ .python notest }", "python {.notest}", 'py notest title="x"'],
)
def test_other_notest_spellings_are_collection_errors(docs, info):
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md", "# Title\n\n" + fence("snippets/example.py:prints", info=info) + "\n"
    )
    assert_collection_error(
        docs.run(),
        "*docs/page.md:3: * does not mark a block notest"
        "*the one spelling is ``` { .python .notest }*",
    )


@pytest.mark.parametrize(
    "info", ["notest python", "{ .notest .python }", "text python"]
)
def test_fence_that_mentions_python_but_renders_as_another_language_is_an_error(
    docs, info
):
    docs.snippet("example.py", PRINTS)
    docs.page("page.md", fence("snippets/example.py:prints", info=info) + "\n")
    assert_collection_error(
        docs.run(), "*docs/page.md:1: fence * mentions * but renders as language*"
    )


def test_the_notest_spelling_renders_as_a_python_block_with_the_notest_class():
    info = NOTEST_SPELLING.removeprefix("```").strip()
    html = markdown.markdown(
        f"``` {info}\nx = 1\n```\n",
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    assert f'<div class="language-python {NOTEST_CSS_CLASS} highlight">' in html


def test_notest_block_is_not_run_and_is_listed(docs):
    docs.snippet(
        "skip.py",
        '# --8<-- [start:skip]\nraise SystemExit("must not run")\n'
        "# --8<-- [end:skip]\n",
    )
    docs.snippet("example.py", PRINTS)
    docs.page(
        "page.md",
        f"{fence('snippets/example.py:prints')}\n\n"
        f"{fence('snippets/skip.py:skip', info='{ .python .notest }')}\n",
    )
    result = docs.run()
    result.assert_outcomes(passed=1)
    result.stdout.fnmatch_lines(
        [
            "*1 pages, 1 executable Python blocks, 1 marked notest*",
            "*notest: docs/page.md:5",
        ]
    )


@pytest.mark.parametrize(
    ("info", "kind"),
    [
        ("python", "run"),
        ("Python", "run"),
        ("py3", "run"),
        ('python title="x"', "run"),
        ("{ .python .notest }", "notest"),
        ('{ .py .notest title="x" }', "notest"),
        ("text", None),
        ("bash", None),
    ],
)
def test_rendered_blocks_are_classified_as_the_collector_classifies_their_fences(
    tmp_path, info, kind
):
    """The contract for runners that read the built site.

    Those are tests/built_site and the browser's copy test.
    """
    from bs4 import BeautifulSoup

    from executable_docs.markdown_blocks import find_python_blocks, rendered_block_kind

    page = f"``` {info}\nx = 1\n```\n"
    html = markdown.markdown(
        page,
        extensions=["pymdownx.superfences", "pymdownx.highlight"],
        extension_configs={"pymdownx.highlight": {"pygments_lang_class": True}},
    )
    (block,) = BeautifulSoup(html, "html.parser").select("div.highlight")
    assert rendered_block_kind(block["class"]) == kind
    collected = find_python_blocks(tmp_path / "page.md", page)
    assert [("notest" if b.skipped else "run") for b in collected] == (
        [kind] if kind else []
    )
