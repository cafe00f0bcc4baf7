"""The '# >' comparison rules, and the refresh that rewrites '# >' lines."""

import pytest

from executable_docs.expected_output import line_matches, outputs_match
from executable_docs.snippet_files import refresh


@pytest.mark.parametrize(
    ("expected", "printed"),
    [
        ("tensor(28.8300)", "tensor(28.8301)"),  # one unit in the last printed digit
        ("loss 6074.8232", "loss 6074.8235"),
        (
            "tensor([[ 1.0000, -2.0000]])",
            "tensor([[1.0001, -2.0000]])",
        ),  # padding differs
        ("1.5e-03", "1.5e-03"),
        ("nan inf", "nan inf"),
        (
            "Trying to backward through the graph a second time...",
            "Trying to backward through the graph a second time (or ...)",
        ),
        ("tensor([ 1., -1.])", "tensor([1., -1.])"),
        ("tensor([1.0000+2.0000j])", "tensor([1.0000+2.0001j])"),  # imaginary parts
        ("(1+2j) nan+nanj", "(1+2j) nan+nanj"),
        ("tensor([True, False])", "tensor([True, False])"),
    ],
)
def test_lines_that_match(expected, printed):
    assert line_matches(expected, printed)


@pytest.mark.parametrize(
    ("expected", "printed"),
    [
        ("tensor(0.2500)", "tensor(0.2503)"),  # three units off
        ("tensor(28.83)", "tensor(28.85)"),
        ("loss 6074.8232", "loss 6074.9232"),  # beyond 1e-5 relative
        ("2 0", "2 1"),  # integers are exact
        ("tensor([2., 0.])", "tensor([2., 1.])"),  # so are integral floats
        (
            "0.1 0.1",
            "0.0001 0.2",
        ),  # more digits than shown: the page's precision is not the coarser side's
        (
            "tensor(0.2500)",
            "tensor(0.25)",
        ),  # fewer digits than shown (set_printoptions(precision=2))
        ("tensor(0.25)", "tensor(0.2500)"),
        ("2.", "2.0000"),
        ("1.5e-03", "1.5000e-03"),
        ("1.5e-03", "0.0015"),  # the same value in another notation
        ("    MulBackward0", "MulBackward0"),  # indentation counts
        ("torch.Size([100, 3])", "torch.Size([100, 3, 1])"),
        ("a prefix...", "another text"),
        ("tensor(1.0000)", "tensor(1.0000, requires_grad=True)"),
        # The kind of a number is shown too (issue 20, escape 3): a changed dtype fails.
        ("tensor([ 1, -1])", "tensor([ 1., -1.])"),
        ("tensor([ 1., -1.])", "tensor([ 1, -1])"),
        ("2", "2."),
        ("[1, 2]", "[1.0, 2.0]"),
        ("tensor(1)", "tensor(True)"),
        ("tensor(1.+0.j)", "tensor(1.)"),
        ("(1+2j)", "(1+3j)"),
        ("2j", "2"),
        ("tensor([1.0000+2.0000j])", "tensor([1.0000+2.0003j])"),
    ],
)
def test_lines_that_differ(expected, printed):
    assert not line_matches(expected, printed)


def test_line_counts_must_agree():
    assert outputs_match(["1", "2"], "1\n2\n")
    assert not outputs_match(["1"], "1\n2\n")


def test_refresh_rewrites_only_what_changed(tmp_path):
    script = tmp_path / "snippets" / "demo.py"
    script.parent.mkdir()
    script.write_text(
        "x = 3\n"
        "print(x + 0.00001)\n"
        "# > 3.00001\n"  # still right: left alone
        "print(x * 2)\n"
        "# > 7\n"  # stale: rewritten
        "for i in range(2):\n"
        "    print(i)\n"  # missing: inserted after the loop
        "y = 1\n"
        "# > 1\n"  # no longer prints: removed
    )
    assert refresh([script], tmp_path).changed == [script]
    assert script.read_text() == (
        "x = 3\nprint(x + 0.00001)\n# > 3.00001\nprint(x * 2)\n# > 6\n"
        "for i in range(2):\n    print(i)\n# > 0\n# > 1\ny = 1\n"
    )
    assert refresh([script], tmp_path).changed == []  # a second refresh changes nothing


def test_numbers_match_to_the_digits_shown_in_both_directions():
    # Printed with more digits than the page shows: a mismatch (main accepted
    # "0.0001 0.2" for "0.1 0.1").
    assert not line_matches("0.1 0.1", "0.0001 0.2")
    # Printed with fewer digits than the page shows: a mismatch too.
    assert not line_matches("0.1000 0.1000", "0.1 0.1")
    # Same digits, within one unit of the last shown digit: a match.
    assert line_matches("0.1 0.1", "0.2 0.0")
    # Same digits, two units off: a mismatch.
    assert not line_matches("0.1", "0.3")
    # The relative slack is tiny: 1e-5 of the value, not a digit's worth.
    assert line_matches("1000.00", "1000.02")
    assert not line_matches("1000.00", "1000.03")


def test_a_page_that_lowers_torch_print_precision_fails(docs):
    docs.snippet(
        "precision.py",
        """\
        # --8<-- [start:default]
        import torch

        print(torch.tensor(0.123456))
        # > tensor(0.1235)
        # --8<-- [end:default]
        # --8<-- [start:lowered]
        torch.set_printoptions(precision=2)
        print(torch.tensor(0.123456))
        # > tensor(0.1235)
        torch.set_printoptions(precision=4)
        # --8<-- [end:lowered]
        """,
    )
    docs.page(
        "page.md",
        '``` python\n--8<-- "snippets/precision.py:default"\n```\n\n'
        '``` python\n--8<-- "snippets/precision.py:lowered"\n```\n',
    )
    result = docs.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*! expected: tensor(0.1235)", "*! printed:  tensor(0.12)"]
    )


def test_refresh_continues_past_a_raising_statement_and_exits_non_zero(
    tmp_path, monkeypatch, capsys
):
    from executable_docs.snippet_files import main

    folder = tmp_path / "snippets"
    folder.mkdir()
    broken = folder / "broken.py"
    broken.write_text(
        'print("before")\n# > stale\nraise ValueError("boom")\n'
        'print("after")\n# > stale too\n'
    )
    fine = folder / "fine.py"
    fine.write_text("print(6 * 7)\n# > 41\n")
    monkeypatch.chdir(tmp_path)
    assert main(["snippets"]) == 1
    # Statements before and after the raising one were refreshed, and the next file too.
    assert (
        broken.read_text() == 'print("before")\n# > before\nraise ValueError("boom")\n'
        'print("after")\n# > after\n'
    )
    assert fine.read_text() == "print(6 * 7)\n# > 42\n"
    out = capsys.readouterr().out
    assert "refreshed snippets/broken.py" in out and "refreshed snippets/fine.py" in out
    assert "snippets/broken.py: the code raised" in out and "ValueError: boom" in out
    assert (
        "2 of 2 snippet files changed; review them with git diff. 1 statements raised."
        in out
    )


def test_refresh_exits_zero_when_nothing_raised(tmp_path, monkeypatch, capsys):
    from executable_docs.snippet_files import main

    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets" / "fine.py").write_text("print(42)\n# > 42\n")
    monkeypatch.chdir(tmp_path)
    assert main(["snippets"]) == 0
    assert (
        "0 of 1 snippet files changed; review them with git diff. 0 statements raised."
        in capsys.readouterr().out
    )
