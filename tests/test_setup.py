"""Setting up: what `make install` does with the interpreter, and what the README says.

The make runs happen in a throwaway copy of the Makefile and the files its install
rule reads, with fake interpreters: shell scripts that answer the Makefile's
question about version and path the way a real Python would.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="needs make")

# The Makefile and what its install rule reads.
INSTALL_INPUTS = (
    "Makefile",
    "pyproject.toml",
    "requirements.lock",
    "package-lock.json",
)


def min_python() -> str:
    """requires-python of pyproject.toml, e.g. "3.11" for ">=3.11"."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return pyproject["project"]["requires-python"].removeprefix(">=")


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    for name in INSTALL_INPUTS:
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


def fake_python(folder: Path, version: str, path: str) -> str:
    """An "interpreter" that reports ``version`` and ``path`` whatever it is asked."""
    script = folder / f"fake-python-{version}"
    script.write_text(f'#!/bin/sh\necho "{version} {path}"\n')
    script.chmod(0o755)
    return str(script)


def make(checkout: Path, *args: str) -> subprocess.CompletedProcess[str]:
    # Not the flags or variables of a `make test` this may run under.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL")}
    return subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def venv_recorded(checkout: Path, version: str, executable: str) -> None:
    """A .venv as the venv module leaves it: pyvenv.cfg records its interpreter."""
    (checkout / ".venv" / "bin").mkdir(parents=True)
    (checkout / ".venv" / "bin" / "python").touch(mode=0o755)
    (checkout / ".venv" / "pyvenv.cfg").write_text(
        f"home = {Path(executable).parent}\ninclude-system-site-packages = false\n"
        f"version = {version}\nexecutable = {executable}\n"
    )


def test_an_old_python_is_refused_in_one_line_before_anything_is_made(checkout):
    old = fake_python(checkout, "3.10.12", "/opt/python3.10/bin/python3.10")
    done = make(checkout, "install", f"PYTHON={old}")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1, done.stderr
    assert (
        f"{old} is Python 3.10.12; this project needs Python {min_python()} or newer"
        in done.stderr
    )
    assert not (checkout / ".venv").exists()


def test_a_python_that_does_not_run_is_named(checkout):
    done = make(checkout, "install", "PYTHON=/nonexistent/python3")
    assert done.returncode != 0
    assert done.stderr.count("\n") == 1, done.stderr
    assert "/nonexistent/python3 does not run" in done.stderr
    assert not (checkout / ".venv").exists()


def test_the_venv_is_made_again_for_another_interpreter(checkout):
    venv_recorded(checkout, "3.11.7", "/opt/python3.11/bin/python3.11")
    newer = fake_python(checkout, "3.12.1", "/opt/python3.12/bin/python3.12")
    planned = make(checkout, "-n", "install", f"PYTHON={newer}")
    assert planned.returncode == 0, planned.stderr
    assert f"rm -rf .venv && {newer} -m venv .venv" in planned.stdout


def test_the_venv_is_kept_for_the_same_interpreter(checkout):
    venv_recorded(checkout, "3.11.7", "/opt/python3.11/bin/python3.11")
    same = fake_python(checkout, "3.11.7", "/opt/python3.11/bin/python3.11")
    planned = make(checkout, "-n", "install", f"PYTHON={same}")
    assert planned.returncode == 0, planned.stderr
    assert "-m venv" not in planned.stdout


def test_a_venv_made_by_this_python_is_recognised_as_its_own(checkout):
    """The Makefile describes an interpreter as venv does in pyvenv.cfg."""
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(checkout / ".venv")],
        check=True,
        timeout=120,
    )
    planned = make(checkout, "-n", "install", f"PYTHON={sys.executable}")
    assert planned.returncode == 0, planned.stderr
    assert "-m venv" not in planned.stdout


def test_clean_says_how_to_remove_the_environment_and_distclean_does(checkout):
    venv_recorded(checkout, "3.11.7", "/opt/python3.11/bin/python3.11")
    cleaned = make(checkout, "clean")
    assert "make distclean" in cleaned.stdout
    assert (checkout / ".venv").exists()
    make(checkout, "distclean")
    assert not (checkout / ".venv").exists()


def test_the_readme_is_short_and_names_the_supported_python():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert len(readme.splitlines()) <= 100, "README.md is for newcomers: 100 lines"
    named = set(re.findall(r"Python (3\.\d+) or newer", readme))
    assert named == {min_python()}, (
        f"README.md names Python {sorted(named)} or newer; requires-python says "
        f"{min_python()}"
    )
