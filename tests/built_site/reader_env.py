"""A bare "reader" interpreter: a fresh venv that can import torch, numpy and
matplotlib, and nothing else.

It is what a reader has after ``pip install torch numpy matplotlib``: no project
package (``snippets``, ``executable_docs``), no repository on ``sys.path``. Instead of
installing anything, it is made in about a second from the main environment:

* ``python -m venv --without-pip`` in a temporary folder (the base interpreter's
  stdlib);
* its site-packages gets one symlink per top-level entry (package folder, module,
  ``.dist-info``, ``.libs``) of exactly the distributions ``torch``, ``numpy`` and
  ``matplotlib`` need, their dependency closure read from the installed metadata. The
  project's editable install (a ``.pth`` file) is not among them: not importable.

Run it with ``-I`` (no PYTHON* variables, no user site, no script folder on the path)
and with a temporary folder as the working directory, as ``run_in_reader`` does.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement

from executable_docs import standalone_runner

READER_PACKAGES = ("torch", "numpy", "matplotlib")
RUNNER = Path(standalone_runner.__file__)  # run by path: imports nothing of the project


def dependency_closure(names=READER_PACKAGES) -> list[metadata.Distribution]:
    """The installed distributions ``names`` need to import, each once (no extras)."""
    found: dict[str, metadata.Distribution] = {}
    todo = list(names)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue  # an optional dependency that is not installed
        found[name] = dist
        for text in dist.requires or []:
            requirement = Requirement(text)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return list(found.values())


def _top_level_entries(dist: metadata.Distribution) -> set[Path]:
    """Absolute paths of what ``dist`` puts directly into site-packages."""
    base = Path(dist.locate_file(""))
    entries = set()
    for file in dist.files or []:
        parts = Path(file).parts
        if not parts or parts[0] == ".." or parts[0] == "__pycache__":
            continue  # scripts in bin/, and nothing of another folder
        entries.add(base / parts[0])
    return {entry for entry in entries if entry.exists()}


@dataclass(frozen=True)
class Reader:
    python: Path
    folder: Path
    packages: tuple[str, ...]
    seconds_to_build: float


def build_reader(folder: Path) -> Reader:
    """Create the reader interpreter in ``folder`` (which must not exist yet)."""
    started = time.perf_counter()
    base_python = getattr(sys, "_base_executable", sys.executable)
    subprocess.run(
        [base_python, "-m", "venv", "--without-pip", str(folder)], check=True
    )
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [
            str(python),
            "-I",
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['purelib'])",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    site_packages = Path(purelib)
    site_packages.mkdir(parents=True, exist_ok=True)
    dists = dependency_closure()
    for dist in dists:
        for entry in _top_level_entries(dist):
            link = site_packages / entry.name
            if not link.exists():
                link.symlink_to(entry)
    names = tuple(sorted(f"{d.metadata['Name']}=={d.version}" for d in dists))
    return Reader(python, folder, names, time.perf_counter() - started)


def run_in_reader(
    reader: Reader, program: dict, *, timeout: float = 600, hash_seed: int | None = None
) -> dict:
    """Run ``program`` in a fresh process of ``reader``: its JSON report.

    (executable_docs.standalone_runner.run_in_interpreter: isolated, in a temporary
    folder, with a reader's shell environment; str hashes seeded with ``hash_seed`` if
    given.)
    """
    return standalone_runner.run_in_interpreter(
        reader.python, program, timeout=timeout, hash_seed=hash_seed
    )


# python tests/built_site/reader_env.py /tmp/reader: build one and say what it holds
if __name__ == "__main__":
    built = build_reader(Path(sys.argv[1]))
    print(
        f"{built.python} in {built.seconds_to_build:.2f} s:", ", ".join(built.packages)
    )
