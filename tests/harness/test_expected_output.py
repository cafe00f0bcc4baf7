"""The '# >' comparison rules, and the refresh that rewrites '# >' lines."""

import pytest

from executable_docs.expected_output import line_matches, outputs_match
from executable_docs.snippet_files import refresh


@pytest.mark.parametrize(
    ("expected", "printed"),
    [
        ("tensor(28.8300)", "tensor(28.8301)"),  # one unit in the last printed digit
        ("loss 6074.8232", "loss 6074.8235"),
        ("tensor([[ 1.0000, -2.0000]])", "tensor([[1.0001, -2.0000]])"),  # padding differs
        ("1.5e-03", "1.5e-03"),
        ("nan inf", "nan inf"),
        ("Trying to backward through the graph a second time...", "Trying to backward through the graph a second time (or ...)"),
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
        ("    MulBackward0", "MulBackward0"),  # indentation counts
        ("torch.Size([100, 3])", "torch.Size([100, 3, 1])"),
        ("a prefix...", "another text"),
        ("tensor(1.0000)", "tensor(1.0000, requires_grad=True)"),
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
    assert refresh([script], tmp_path) == [script]
    assert script.read_text() == (
        "x = 3\nprint(x + 0.00001)\n# > 3.00001\nprint(x * 2)\n# > 6\n"
        "for i in range(2):\n    print(i)\n# > 0\n# > 1\ny = 1\n"
    )
    assert refresh([script], tmp_path) == []  # a second refresh changes nothing
