"""The harness probed with planted faults of kinds issue 20 did not list.

Each test plants one fault (in an output, an assertion, a container, a guard, the
process-wide state or the determinism of a page) and checks that the harness fails
on it with a message naming what is wrong. The faults that escaped when these were
written, and are caught now: an assertion that cannot fail (a tuple, a constant, a
function object, a thing compared with itself), asserts dropped by ``python -O``, a
fence after two blank lines in an admonition (misread once mdit-py-plugins' admon
parsed admonitions), and a page that leaves os.environ, the working directory,
sys.path or the recursion limit changed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from executable_docs import standalone_runner
from executable_docs.execution import CodeUnit, ExecutionFailure, run_unit
from executable_docs.project import load_project
from executable_docs.safe_includes import IncludeError, check_includes
from executable_docs.snippet_expansion import SourceLine
from executable_docs.snippet_files import run_snippet_file
from tests.docs_fixture import fence

NOWHERE = Path("/nonexistent-root")  # no file of these units lives there


def _unit(code: str) -> CodeUnit:
    count = code.count("\n") + 1
    return CodeUnit(
        "block", code, tuple(SourceLine("s.py", n) for n in range(1, count))
    )


def _fails(code: str, *phrases: str) -> ExecutionFailure:
    with pytest.raises(ExecutionFailure) as failure:
        run_unit(_unit(code), {}, NOWHERE)
    text = str(failure.value)
    for phrase in phrases:
        assert phrase in text, text
    return failure.value


# Outputs: what is printed is what the page shows, line for line, number for number.
DIFFERS = "printed output differs"


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("print('a')\nprint('b')\n# > a\n", "no '# >' lines follow it"),  # unshown
        ("print('a\\nb')\n# > a\n", DIFFERS),  # a line more than shown
        ("print('a')\n# > a\n# > b\n", DIFFERS),  # a shown line never printed
        ("print(-0.5)\n# > 0.5\n", DIFFERS),  # sign
        ("print(float('-inf'))\n# > inf\n", DIFFERS),
        ("print(0.5)\n# > nan\n", DIFFERS),
        ("print(True)\n# > 1\n", DIFFERS),  # bool shown as an integer
        ("print([1.0, 2.0])\n# > [1, 2]\n", DIFFERS),  # floats shown as integers
        ("print(1 + 2j)\n# > (1+3j)\n", DIFFERS),  # imaginary part
        ("print('Error: x went wrong')\n# > Error: y went...\n", DIFFERS),
        ("print(object())\n# > <object object at 0x7f0000000000>\n", DIFFERS),
    ],
)
def test_a_planted_output_fault_fails(code, phrase):
    _fails(code, phrase)


def test_output_written_to_stderr_under_shown_lines_fails():
    code = "import sys\nprint('a', file=sys.stderr)\n# > a\n"
    _fails(code, "expected output with no print to match")


def test_output_printed_by_a_later_call_is_not_the_definitions():
    _fails("def f():\n    print(1)\n# > 1\nf()\n", "expected output with no print")


# Assertions: a claim must be able to fail, and must run.


@pytest.mark.parametrize(
    ("code", "phrase"),
    [
        ("assert (1 == 2, 'one is two')\n", "tests a tuple"),
        ("assert 'always'\n", "tests a constant"),
        ("x = 2\nassert x == x\n", "compares an expression with itself"),
        ("import math\nmath.assert_close(0.1, 0.1)\n", "with itself"),
        ("import math\nassert math.isclose\n", "always true: call it"),
    ],
)
def test_an_assertion_that_cannot_fail_fails(code, phrase):
    _fails(code, phrase)


@pytest.mark.parametrize(
    "code",
    [
        "try:\n    assert 1 == 2\nexcept AssertionError:\n    pass\n",
        (
            "import contextlib\nwith contextlib.suppress(AssertionError):\n"
            "    assert 1 == 2\n"
        ),
        "def gen():\n    assert 1 == 2\n    yield\n\n\ng = gen()\n",
    ],
)
def test_an_assertion_whose_failure_is_swallowed_or_never_reached_fails(code):
    _fails(code, "the assertion never ran")


def test_python_dash_o_does_not_drop_the_assertions(tmp_path):
    script = (
        "from pathlib import Path\n"
        "from executable_docs.execution import CodeUnit, run_unit\n"
        "from executable_docs.snippet_expansion import SourceLine\n"
        "unit = CodeUnit('b', 'assert 1 == 2\\n', (SourceLine('s.py', 1),))\n"
        "run_unit(unit, {}, Path('/nonexistent-root'))\n"
    )
    ran = subprocess.run(
        [sys.executable, "-O", "-c", script],
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode != 0 and "AssertionError" in ran.stderr, ran.stderr
    program = {"name": "o", "chunks": [{"label": "c", "code": "assert 1 == 2\n"}]}
    (tmp_path / "program.json").write_text(json.dumps(program))
    runner = standalone_runner.__file__
    command = [sys.executable, "-O", "-I", runner, "program.json", "report.json"]
    subprocess.run(command, cwd=tmp_path, check=False)
    report = json.loads((tmp_path / "report.json").read_text())
    assert report["chunks"][0]["assertions"] == {"1": "failed"}


def _standalone(*chunks: str) -> dict:
    program = {
        "name": "probe",
        "after_error": "continue",
        "chunks": [{"label": f"c{i}", "code": c} for i, c in enumerate(chunks)],
    }
    return standalone_runner.run_program(program)


def test_an_assertion_that_passes_only_after_an_error_is_not_counted():
    report = _standalone("x = 1\nraise ValueError\n", "assert x == 1\n")
    assert report["chunks"][1]["assertions"] == {"1": "after_error"}


def test_an_assertion_that_passes_once_then_fails_failed():
    report = _standalone("for v in (1, 2):\n    assert v == 1\n")
    assert report["chunks"][0]["assertions"] == {"2": "failed"}


# Containers: a fence the site renders is a fence the tests run.
WRONG = (
    '# --8<-- [start:wrong]\nprint("ran")\n# > not what it prints\n'
    "# --8<-- [end:wrong]\n"
)


@pytest.mark.parametrize(
    "page",
    [
        "!!! note\n\n    Text.\n\n\n{fence4}\n",  # two blank lines inside
        '!!! note\n\n    === "Tab"\n\n{fence8}\n',  # a tab in an admonition
        "???+ example\n\n{fence4}\n",
        "1. A step\n\n{fence4}\n",  # a list item
        '~~~ python\n--8<-- "snippets/example.py:wrong"\n~~~\n',
    ],
)
def test_a_fence_in_a_container_is_run(docs, page):
    docs.snippet("example.py", WRONG)
    spec = "snippets/example.py:wrong"
    docs.page(
        "page.md",
        page.format(
            fence4=fence(spec, indent="    "), fence8=fence(spec, indent="        ")
        ),
    )
    result = docs.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*printed output differs*"])


# Guards: nothing outside snippets/ reaches a page.


@pytest.mark.parametrize(
    ("include", "phrase"),
    [
        ("https://example.com/x.py", "is not under snippets/"),
        ("snippets/linked/secret.py", "resolves to"),  # a symlinked folder
        ("/etc/hostname", "is an absolute path"),
    ],
)
def test_an_include_outside_snippets_is_refused(tmp_path, include, phrase):
    (tmp_path / "snippets").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.py").write_text("SECRET = 1\n")
    (tmp_path / "snippets" / "linked").symlink_to(tmp_path / "outside")
    lines = ["``` python", "--8<--", "snippets/fine.py", include, "--8<--", "```"]
    with pytest.raises(IncludeError) as error:
        check_includes(lines, "docs/page.md", tmp_path)
    assert str(error.value).startswith("docs/page.md:4: ") and phrase in str(
        error.value
    )


def test_an_absolute_r_mapping_marker_is_refused(tmp_path):
    from site_build.generated_markdown import expand_markers

    (tmp_path / "docs").mkdir()
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: x\nmarkdown_extensions:\n  - pymdownx.snippets\n"
    )
    project = load_project(tmp_path / "mkdocs.yml")
    with pytest.raises(IncludeError, match="docs/page.md:1: r-mapping marker: .*abs"):
        expand_markers(
            "<!-- r-mapping: /etc/passwd:rows -->\n",
            project,
            list,
            tmp_path / "docs" / "page.md",
        )


# Process-wide state: a page leaves Python as it found it.


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ("import os\nos.environ['PAGE_FLAG'] = '1'\n", "os.environ: PAGE_FLAG='1'"),
        ("import os\nos.chdir('/')\n", "working directory: '/'"),
        (
            "import sys\nsys.path.append('/page/path')\n",
            "sys.path: added *'/page/path'*",
        ),
        ("import sys\nsys.setrecursionlimit(123)\n", "recursion limit: 123"),
    ],
)
def test_a_page_that_leaves_python_state_changed_fails(docs, change, named):
    docs.snippet("leak.py", f"# --8<-- [start:s]\n{change}# --8<-- [end:s]\n")
    docs.page("page.md", fence("snippets/leak.py:s") + "\n")
    result = docs.run()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/page.md: the page changes process-wide state*", f"*{named}*"]
    )


def test_a_page_that_restores_python_state_in_a_later_block_passes(docs):
    docs.snippet(
        "state.py",
        "# --8<-- [start:set]\nimport os\n\nos.environ['PAGE_FLAG'] = '1'\n"
        "# --8<-- [end:set]\n# --8<-- [start:use]\nprint(os.environ['PAGE_FLAG'])\n"
        "# > 1\ndel os.environ['PAGE_FLAG']\n# --8<-- [end:use]\n",
    )
    docs.page(
        "page.md",
        f"{fence('snippets/state.py:set')}\n\n{fence('snippets/state.py:use')}\n",
    )
    docs.run().assert_outcomes(passed=2)


def test_a_variable_torch_sets_itself_is_not_the_pages_change(docs, monkeypatch):
    """An optimizer's first step imports torch._dynamo, which names its cache folder in
    TORCHINDUCTOR_CACHE_DIR (LIBRARY_VARIABLES in site_build/torch_state.py)."""
    docs.snippet(
        "step.py",
        "# --8<-- [start:s]\nimport os\n\nimport torch\n\n"
        "w = torch.ones(1, requires_grad=True)\n"
        "optimizer = torch.optim.SGD([w], lr=0.5)\nw.sum().backward()\n"
        "optimizer.step()\nprint('TORCHINDUCTOR_CACHE_DIR' in os.environ)\n# > True\n"
        "# --8<-- [end:s]\n",
    )
    docs.page("page.md", fence("snippets/step.py:s") + "\n")
    monkeypatch.delenv("TORCHINDUCTOR_CACHE_DIR", raising=False)
    # (A process of its own: this one may have imported torch._dynamo already.)
    result = docs.pytester.runpytest_subprocess("-p", "no:randomly")
    result.assert_outcomes(passed=1)


# Determinism: what a page prints does not depend on what ran before it.


def test_a_snippet_file_that_relies_on_the_harness_seed_fails(tmp_path):
    path = tmp_path / "snippets" / "unseeded.py"
    path.parent.mkdir()
    import random

    random.seed(0)  # the pages' seed: what the page shows
    path.write_text(f"import random\n\nprint(random.random())\n# > {random.random()}\n")
    with pytest.raises(ExecutionFailure, match=DIFFERS):
        run_snippet_file(path, tmp_path)


def test_a_page_that_uses_another_pages_variable_fails(docs):
    docs.snippet(
        "shared.py",
        "# --8<-- [start:define]\nshared = 1\n# --8<-- [end:define]\n"
        "# --8<-- [start:use]\nprint(shared)\n# > 1\n# --8<-- [end:use]\n",
    )
    docs.page("a.md", fence("snippets/shared.py:define") + "\n")
    docs.page("b.md", fence("snippets/shared.py:use") + "\n")
    result = docs.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*docs/b.md:1: the code raised*", "*NameError*"])
