"""site_build.torch_state: each torch and numpy setting it declares is kept per page.

And checked at the end of each page. The harness's isolation itself (a leaking page
fails, naming itself and the setting; pages interleave) is tested in
tests/harness/test_page_isolation.py.
"""

import pytest

from tests.docs_fixture import fence
from tests.harness.test_page_isolation import VICTIM


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        ("torch.set_printoptions(precision=2)", "torch's print options"),
        ("torch.set_grad_enabled(False)", "grad mode"),
        ("torch.use_deterministic_algorithms(True)", "deterministic algorithms flag"),
        ("torch.set_num_threads(torch.get_num_threads() + 1)", "torch's thread count"),
        ("numpy.set_printoptions(precision=3)", "numpy's print options"),
    ],
)
def test_each_process_wide_setting_is_checked_and_restored(docs, change, setting):
    docs.snippet(
        "change.py",
        "# --8<-- [start:change]\nimport numpy\nimport torch\n\n"
        f"{change}\n# --8<-- [end:change]\n",
    )
    docs.page("change.md", fence("snippets/change.py:change") + "\n")
    docs.snippet("victim.py", VICTIM)
    docs.page("victim.md", fence("snippets/victim.py:dtype") + "\n")
    result = docs.run()
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(
        ["*docs/change.md: the page changes process-wide state*", f"*  {setting}: *"]
    )
