"""Pages are isolated: each starts from the same process-wide state.

A page that leaks a change fails. On main before this, a page calling
torch.set_default_dtype(torch.float64) made other pages fail (a different set per
random order) and the failures named the victims.
"""

from tests.docs_fixture import fence

LEAKY = """\
# --8<-- [start:change]
import torch

torch.set_default_dtype(torch.float64)
# --8<-- [end:change]
# --8<-- [start:use]
print(torch.tensor(1.5).dtype)
# > torch.float64
# --8<-- [end:use]
"""

VICTIM = """\
# --8<-- [start:dtype]
import torch

print(torch.tensor(1.5).dtype, torch.is_grad_enabled())
# > torch.float32 True
# --8<-- [end:dtype]
"""

VICTIMS = 4


def write_pages(docs):
    docs.snippet("leaky.py", LEAKY)
    docs.page(
        "leaky.md",
        f"{fence('snippets/leaky.py:change')}\n\n{fence('snippets/leaky.py:use')}\n",
    )
    docs.snippet("victim.py", VICTIM)
    for index in range(VICTIMS):
        docs.page(f"victim{index}.md", fence("snippets/victim.py:dtype") + "\n")


def test_a_leaking_page_fails_naming_itself_and_the_setting_and_no_other_page_fails(
    docs,
):
    write_pages(docs)
    result = docs.pytester.runpytest_subprocess(
        "-p", "randomly", "-p", "no:cacheprovider", "-n", "2", "--dist", "loadfile"
    )
    result.assert_outcomes(passed=VICTIMS + 1, failed=1)
    result.stdout.fnmatch_lines(
        [
            (
                "*docs/leaky.md: the page changes process-wide state"
                " and does not restore it*"
            ),
            (
                "*torch's default dtype: torch.float64 at the end of the page,"
                " every page starts with torch.float32*"
            ),
        ]
    )
    failed = [line for line in result.stdout.lines if line.startswith("FAILED")]
    assert len(failed) == 1 and "docs/leaky.md" in failed[0]


def test_pages_whose_blocks_interleave_do_not_see_each_others_settings(docs):
    write_pages(docs)
    # leaky.md's first block, then every victim, then leaky.md's second block.
    docs.write(
        "conftest.py",
        "def pytest_collection_modifyitems(items):\n"
        "    items.sort(key=lambda item: (\n"
        "        item.path.name != 'leaky.md' or 'line:5' in item.name, item.name\n"
        "    ))\n",
    )
    result = docs.run("-v")
    result.assert_outcomes(passed=VICTIMS + 1, failed=1)
    order = [
        line.split("::")[0]
        for line in result.stdout.lines
        if "PASSED" in line or "FAILED" in line
    ][: VICTIMS + 2]
    assert order[0].endswith("leaky.md") and order[-1].endswith(
        "leaky.md"
    )  # the victims ran in between
    result.stdout.fnmatch_lines(["*leaky.md::*line:5* FAILED*"])


def test_a_page_that_restores_what_it_changes_passes(docs):
    docs.snippet(
        "tidy.py",
        "# --8<-- [start:tidy]\nimport torch\n\n"
        "torch.set_default_dtype(torch.float64)\n"
        "print(torch.tensor(1.0).dtype)\n# > torch.float64\n"
        "torch.set_default_dtype(torch.float32)\n# --8<-- [end:tidy]\n",
    )
    docs.page("tidy.md", fence("snippets/tidy.py:tidy") + "\n")
    docs.run().assert_outcomes(passed=1)


COUNTER_STATE = """\
from executable_docs.page_state import Setting

COUNTER = {"value": 0}
SETTINGS = (
    Setting(
        "the counter",
        lambda: COUNTER["value"],
        lambda v: COUNTER.update(value=v),
        "set it back to 0",
    ),
)
"""


def test_the_settings_are_those_the_module_named_in_pyproject_declares(docs):
    """The harness knows no library: a project's module says what pages must restore."""
    docs.write("counter_state.py", COUNTER_STATE)
    docs.write(
        "pyproject.toml", '[tool.executable_docs]\npage_state = "counter_state"\n'
    )
    docs.snippet(
        "bump.py",
        "# --8<-- [start:bump]\nimport counter_state\n\n"
        "counter_state.COUNTER['value'] = 1\n# --8<-- [end:bump]\n",
    )
    docs.page("bump.md", fence("snippets/bump.py:bump") + "\n")
    docs.snippet(
        "dtype.py",
        "# --8<-- [start:dtype]\nimport torch\n\n"
        "torch.set_default_dtype(torch.float64)\n# --8<-- [end:dtype]\n",
    )
    docs.page(
        "dtype.md", fence("snippets/dtype.py:dtype") + "\n"
    )  # not declared by this project: not checked
    result = docs.pytester.runpytest_subprocess(
        "-p", "no:randomly", "-p", "no:cacheprovider"
    )
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        [
            "*docs/bump.md: the page changes process-wide state*",
            (
                "*  the counter: 1 at the end of the page, every page starts with 0"
                " (restore it: set it back to 0)"
            ),
        ]
    )
