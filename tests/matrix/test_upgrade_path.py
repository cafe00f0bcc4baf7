"""The upgrade path works as written: pinned installers, the CPU-only torch, versions
named from the pin."""

from __future__ import annotations

import re
import tomllib

from matrix.driver import releases
from site_build import version_ranges
from tests.conftest import ROOT

CPU_INDEX = "https://download.pytorch.org/whl/cpu"


def _lock() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if "==" in line and not line.startswith("#"):
            name, version = line.split("==", 1)
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version.strip()
    return pins


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _pinned_torch() -> str:
    (pin,) = [
        p for p in _pyproject()["project"]["dependencies"] if p.startswith("torch==")
    ]
    return pin.removeprefix("torch==")


def test_pip_and_setuptools_are_pinned_in_the_lock_and_the_build_uses_that_setuptools():
    lock = _lock()
    missing = [name for name in ("pip", "setuptools") if name not in lock]
    assert not missing, (
        f"requirements.lock does not pin {', '.join(missing)}: `pip freeze` leaves "
        "them out unless given --all (make lock must run `pip freeze --all --exclude "
        "torch-fundamentals`)"
    )
    assert _pyproject()["build-system"]["requires"] == [
        f"setuptools=={lock['setuptools']}"
    ]


def test_the_lock_pins_the_torch_of_pyproject_and_no_cuda_package():
    lock = _lock()
    assert lock["torch"] == _pinned_torch()
    cuda = sorted(
        name for name in lock if name.startswith(("nvidia-", "triton", "cuda-"))
    )
    assert not cuda, (
        f"requirements.lock holds CUDA packages {cuda}: it was resolved against "
        f"PyPI's torch; re-run `make lock` with PIP_EXTRA_INDEX_URL={CPU_INDEX} for "
        "the CPU-only build"
    )


def test_the_workflow_installs_torch_from_the_cpu_index():
    workflow = (ROOT / ".github/workflows/site.yml").read_text(encoding="utf-8")
    assert f"PIP_EXTRA_INDEX_URL: {CPU_INDEX}" in workflow


def test_the_readme_names_only_the_pinned_torch():
    pinned = _pinned_torch()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    named = {
        version
        for line in readme.splitlines()
        if "torch" in line.lower()
        for version in re.findall(r"(?<![\w.])2\.\d+\.\d+(?![\w.])", line)
    }
    assert named <= {pinned}, (
        f"README.md names torch {sorted(named - {pinned})}, the pin is {pinned}"
    )


def test_the_readme_names_the_measured_releases():
    """The README's range is the first and last release of matrix/releases.txt."""
    listed = [version_ranges.short(torch) for torch, _ in releases()]
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    assert f"each torch release from {listed[0]} to {listed[-1]}" in readme, (
        f"README.md should say the matrix measures torch {listed[0]} to {listed[-1]}"
    )
