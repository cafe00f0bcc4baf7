"""Each block runs exactly once per run, after every block above it, in any order."""

import json

from tests.docs_fixture import fence

PAGES, BLOCKS = 4, 5


def write_logging_pages(docs):
    """Pages whose blocks append (page, block) to a log file when they really run."""
    log = docs.root / "executions.jsonl"
    for page in range(PAGES):
        sections = []
        for block in range(BLOCKS):
            sections.append(
                f"# --8<-- [start:b{block}]\n"
                f"with open({str(log)!r}, 'a') as log:\n"
                f"    log.write(__import__('json').dumps([{page}, {block}]) + '\\n')\n"
                f"# --8<-- [end:b{block}]\n"
            )
        docs.snippet(f"page{page}.py", "".join(sections))
        blocks = "\n\ntext\n\n".join(
            fence(f"snippets/page{page}.py:b{block}") for block in range(BLOCKS)
        )
        docs.page(f"page{page}.md", blocks + "\n")
    return log


def executions(log):
    return [tuple(json.loads(line)) for line in log.read_text().splitlines()]


def assert_each_block_once_in_page_order(log):
    runs = executions(log)
    assert sorted(runs) == [
        (p, b) for p in range(PAGES) for b in range(BLOCKS)
    ]  # each exactly once
    for page in range(PAGES):
        assert [b for p, b in runs if p == page] == list(range(BLOCKS))  # in page order


def test_random_order_on_two_workers(docs):
    log = write_logging_pages(docs)
    result = docs.pytester.runpytest_subprocess(
        "-p",
        "randomly",
        "-p",
        "no:cacheprovider",
        "-n",
        "2",
        "--dist",
        "loadfile",
        "-v",
    )
    result.assert_outcomes(passed=PAGES * BLOCKS)
    assert_each_block_once_in_page_order(log)
    reported = [
        line.split("PASSED ")[1]
        for line in result.stdout.lines
        if "PASSED" in line and ".md::" in line
    ]
    assert reported != sorted(
        reported,
        key=lambda nodeid: (
            nodeid.split("::")[0],
            int(nodeid.split("#")[1].split("]")[0]),
        ),
    )


def test_a_dist_mode_that_splits_pages_is_refused(docs):
    result = docs.pytester.runpytest_subprocess(
        "-p", "no:randomly", "-n", "2", "--dist", "load"
    )
    assert result.ret != 0
    result.stderr.fnmatch_lines(
        ["*--dist=load would split a page's blocks across workers*"]
    )


def test_reverse_order_in_one_process(docs):
    log = write_logging_pages(docs)
    docs.write(
        "conftest.py",
        "def pytest_collection_modifyitems(items):\n    items.reverse()\n",
    )
    result = docs.run("-v")
    result.assert_outcomes(passed=PAGES * BLOCKS)
    assert_each_block_once_in_page_order(log)
    first = next(line for line in result.stdout.lines if "PASSED" in line)
    assert f"[CodeFence#{BLOCKS}]" in first  # the last block's test ran first


def test_selecting_one_block_runs_the_blocks_above_it_once(docs):
    log = write_logging_pages(docs)
    docs.run("docs/page2.md::[CodeFence#3][line:13]").assert_outcomes(passed=1)
    assert executions(log) == [(2, 0), (2, 1), (2, 2)]
