"""Every behaviour is measured on its own: a failure spoils only what uses it, and a
statement declared in needs.toml makes only what uses it not applicable.

Each test writes a small docs project, builds its page program as the matrix does and
runs it in this interpreter with the standalone runner, then reads the outcome.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from matrix.dependencies import Cause, Spoiled, statement_names
from matrix.driver import programs, run_page
from matrix.pages import NeedsError, outcomes
from tests.matrix.projects import write_project as _project

INSTALLED = "2.13.0"  # what the programs are built for: a release between 0.1 and 999


def _measure(root: Path, torch: str = INSTALLED) -> dict:
    (program,) = programs(root=root)
    report = run_page(Path(sys.executable), program.program(torch))
    return outcomes(program, report, torch)


PAGE = """\
    # Page

    ## First

    ``` python
    --8<-- "snippets/t/code.py:first"
    ```

    ## Second

    ``` python
    --8<-- "snippets/t/code.py:second"
    ```

    ## Third

    ``` python
    --8<-- "snippets/t/code.py:third"
    ```
    """

SNIPPET = """\
    # --8<-- [start:first]
    x = 1
    y = new_api()
    # Spec: y is one
    assert y == 1
    # --8<-- [end:first]
    # --8<-- [start:second]
    # Spec: x is one
    assert x == 1
    # --8<-- [end:second]
    # --8<-- [start:third]
    z = y + 1
    # Spec: z is two
    assert z == 2
    # --8<-- [end:third]
    """


def test_a_statement_that_raises_spoils_only_what_uses_it(tmp_path):
    found = _measure(_project(tmp_path, PAGE, SNIPPET))
    assert found["behaviours"] == {
        "docs/page.md: y is one": "raised",  # its own section raised first
        "docs/page.md: x is one": "held",  # measured although a statement above raised
        "docs/page.md: z is two": "after_error",  # uses y, from the failing section
    }
    where = "snippets/t/code.py:3"
    why = "NameError: name 'new_api' is not defined"
    assert found["raised"] == [f"{where}: {why}"]
    assert found["notes"]["docs/page.md: y is one"] == {"at": where, "why": why}
    assert found["notes"]["docs/page.md: z is two"] == {"at": where, "why": why}
    assert "docs/page.md: x is one" not in found["notes"]


NEEDS = """\
    [[needs]]
    snippet = "snippets/t/code.py"
    statement = "new_api()"
    torch = "{torch}"
    api = "new_api"
    """


def test_a_declared_statement_makes_what_uses_it_not_applicable_on_older_releases(
    tmp_path,
):
    root = _project(tmp_path, PAGE, SNIPPET, NEEDS.format(torch="999.0"))
    (program,) = programs(root=root)
    code = "".join(chunk["code"] for chunk in program.program(INSTALLED)["chunks"])
    assert "new_api()" in code  # the declared statement runs: it must raise
    assert "y == 1" not in code and "z = y + 1" not in code  # what uses it does not
    found = _measure(root)
    assert found["behaviours"] == {
        "docs/page.md: y is one": "not_applicable",
        "docs/page.md: x is one": "held",
        "docs/page.md: z is two": "not_applicable",
    }
    note = {"at": "snippets/t/code.py:3", "why": "needs torch 999.0 (new_api)"}
    assert found["notes"]["docs/page.md: z is two"] == note
    assert found["raised"] == []
    assert found["not_applicable"] == [
        (
            "snippets/t/code.py:3: needs torch 999.0 (new_api): "
            "NameError: name 'new_api' is not defined"
        )
    ]


def test_on_a_release_that_has_the_api_the_declared_statement_counts_as_usual(
    tmp_path,
):
    found = _measure(_project(tmp_path, PAGE, SNIPPET, NEEDS.format(torch="0.1")))
    assert found["behaviours"]["docs/page.md: y is one"] == "raised"
    assert found["not_applicable"] == []


def test_a_declared_statement_that_runs_on_an_older_release_is_recorded_as_such(
    tmp_path,
):
    snippet = SNIPPET.replace("y = new_api()", "y = int('1')  # new_api()")
    found = _measure(_project(tmp_path, PAGE, snippet, NEEDS.format(torch="999.0")))
    assert found["not_applicable"] == [
        "snippets/t/code.py:3: needs torch 999.0 (new_api): ran"
    ]


def test_a_failed_assertion_is_failed_and_its_note_names_it(tmp_path):
    snippet = SNIPPET.replace("y = new_api()", "y = 2")
    found = _measure(_project(tmp_path, PAGE, snippet))
    assert found["behaviours"]["docs/page.md: y is one"] == "failed"
    assert found["notes"]["docs/page.md: y is one"] == {
        "at": "snippets/t/code.py:5",
        "why": "AssertionError: ",
    }
    # z = y + 1 is 3: the later section ran on what the page made, and its own
    # assertion failed; the failed assertion spoiled nothing it did not bind.
    assert found["behaviours"]["docs/page.md: z is two"] == "failed"


@pytest.mark.parametrize(
    ("needs", "problem"),
    [
        (NEEDS.format(torch="2.7") + 'extra = "x"\n', "has fields"),
        (NEEDS.format(torch="two").replace("new_api()", "new_api"), "is no release"),
        (NEEDS.format(torch="2.7").replace("new_api()", "nowhere()"), "0 top-level"),
        (NEEDS.format(torch="2.7").replace("new_api()", " == "), "3 top-level"),
    ],
)
def test_a_bad_declaration_fails_naming_its_entry(tmp_path, needs, problem):
    root = _project(tmp_path, PAGE, SNIPPET, needs)
    with pytest.raises(NeedsError, match=f"needs.toml: entry 1.*{problem}"):
        programs(root=root)


def test_a_heading_badge_must_name_what_its_section_declares(tmp_path):
    page = PAGE.replace("## Third", '## Third {: data-torch-min="2.7" }')
    root = _project(tmp_path, page, SNIPPET)
    with pytest.raises(NeedsError, match=r"docs/page.md:\d+: the heading.s badge"):
        programs(root=root)
    badge_on_first = PAGE.replace("## First", '## First {: data-torch-min="2.7" }')
    _project(tmp_path, badge_on_first, SNIPPET, NEEDS.format(torch="2.7"))
    (program,) = programs(root=root)  # the badge names what its section declares
    assert [s.need.torch for s in program.statements if s.need] == ["2.7"]


def test_names_a_statement_binds_reads_and_changes():
    loop = statement_names(
        "for model, optimizer in runs:\n"
        "    optimizer.zero_grad()\n"
        "    loss_fn(model(x), y).backward()\n"
        "    nn.init.zeros_(layer.weight)\n"
        "    total += 1\n"
    )
    assert loop.binds == {"model", "optimizer", "total"}
    assert loop.reads >= {"runs", "loss_fn", "x", "y", "nn", "layer", "total"}
    assert loop.changes == {"optimizer", "nn", "layer"}  # what it calls `zero_grad` on
    defined = statement_names(
        "class Net:\n    scale = k\n    def f(self):\n        return w\n"
    )
    assert (defined.reads, defined.later, defined.defines) == ({"k"}, {"w"}, {"Net"})
    assert statement_names("import torch.nn as nn").imports == {"nn"}


def test_names_handed_in_a_list_and_names_bound_before_they_are_read():
    # An in-place function changes what a list literal hands it.
    clipped = statement_names("clip_grads_with_norm_([a, b], 1.0, total)")
    assert clipped.changes == {"a", "b", "total"}
    # `error` is the handler's own, `item` the loop's: not an earlier statement's.
    caught = statement_names(
        "try:\n    f()\nexcept RuntimeError as error:\n    message = str(error)\n"
    )
    assert "error" not in caught.reads and "f" in caught.reads
    looped = statement_names("for item in items:\n    print(item)\n")
    assert looped.reads >= {"items", "print"} and "item" not in looped.reads
    spoiled, cause = Spoiled(), Cause("raised", "s.py:1", "ValueError", 0)
    spoiled.spoil(statement_names("error = broken()"), cause)
    assert spoiled.cause(caught) is None


def test_a_spoiled_name_reaches_the_users_of_the_functions_that_read_it():
    spoiled, cause = Spoiled(), Cause("raised", "s.py:1", "ValueError", 0)
    for source in ("w = 1", "def f():\n    return w\n", "model = f", "other = 2"):
        spoiled.ran(statement_names(source))
    spoiled.spoil(statement_names("w.fill_(0)"), cause)
    assert spoiled.cause(statement_names("model()")) == cause  # model is f, f reads w
    assert spoiled.cause(statement_names("other + 1")) is None
    spoiled.ran(statement_names("w = 3"))  # bound again as shown: good again
    assert spoiled.cause(statement_names("model()")) is None


CLAIMS = """\
    # --8<-- [start:defs]
    def dead():
        # Spec: dead
        assert dead is None


    def check():
        # Spec: check
        assert check is not None


    # --8<-- [end:defs]
    # --8<-- [start:call]
    check()
    # --8<-- [end:call]
    # --8<-- [start:false]
    # Spec: false
    assert check is None
    # --8<-- [end:false]
    # --8<-- [start:after]
    # Spec: after
    assert dead is not None
    # --8<-- [end:after]
    """


def test_a_behaviour_counts_only_when_its_assertion_ran_and_passed(tmp_path):
    page = "# Page\n\n" + "\n\n".join(
        f'``` python\n--8<-- "snippets/t/code.py:{name}"\n```'
        for name in ("defs", "call", "false", "after")
    )
    found = _measure(_project(tmp_path, page, CLAIMS))
    assert found["behaviours"] == {
        "docs/page.md: dead": "not_run",  # in a function nobody called
        "docs/page.md: check": "held",
        "docs/page.md: false": "failed",
        "docs/page.md: after": "held",  # after a failure, but not using what it made
    }
    assert found["notes"]["docs/page.md: dead"] == {
        "at": "snippets/t/code.py:4",
        "why": "its assertion never ran",
    }
