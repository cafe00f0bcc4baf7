"""The build's caches (.cache/notebooks, .cache/figures): complete keys and atomic writes.

* A key hashes every input that can change a cached artifact: the files it reads,
  and every module of the project those files import, transitively (a notebook
  whose code imports ``snippets.regression_data`` changes when that file does),
  plus the versions of the libraries that compute it.
* An entry is written into a private folder (``.partial-<pid>-<name>``) and renamed
  to its key when complete, so a build killed mid-way leaves at most a partial
  folder, which no build ever reads and the next one deletes.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
import shutil
import sys
import uuid
from collections.abc import Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PARTIAL_PREFIX = ".partial-"


def _module_files(name: str, root: Path) -> list[Path]:
    """The project files that importing module ``name`` runs (its packages' __init__ too)."""
    parts = name.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        base = root.joinpath(*parts[:depth])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                files.append(candidate)
    return files


def _imported_modules(tree: ast.AST, package: str) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1] if package else []
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module:
                names.add(module)
                names.update(f"{module}.{alias.name}" for alias in node.names)  # `from pkg import submodule`
    return names


def project_imports(code: str, root: Path, package: str = "") -> set[Path]:
    """Every file of the project under ``root`` that running ``code`` imports, transitively."""
    seen: set[Path] = set()
    todo = [(code, package)]
    while todo:
        text, package = todo.pop()
        try:
            tree = ast.parse(text)
        except SyntaxError:
            continue  # the build reports it where the code runs
        for name in _imported_modules(tree, package):
            for path in _module_files(name, root):
                if path not in seen:
                    seen.add(path)
                    relative = path.relative_to(root).with_suffix("")
                    # The package a relative import in that file starts from (the same for __init__.py).
                    todo.append((path.read_text(encoding="utf-8"), ".".join(relative.parts[:-1])))
    return seen


def source_closure(files: Iterable[Path], root: Path, extra_code: Iterable[str] = ()) -> list[Path]:
    """``files`` and every project file they (or ``extra_code``) import, sorted."""
    closure: set[Path] = set()
    for path in files:
        path = Path(path).resolve()
        closure.add(path)
        try:
            package = ".".join(path.relative_to(root.resolve()).parent.parts)
        except ValueError:
            package = ""
        if path.suffix == ".py":
            closure |= {p.resolve() for p in project_imports(path.read_text(encoding="utf-8"), root, package)}
    for code in extra_code:
        closure |= {p.resolve() for p in project_imports(code, root)}
    return sorted(closure)


def library_versions(*names: str) -> str:
    found = []
    for name in names:
        try:
            found.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} missing")
    return f"python {sys.version.split()[0]} " + " ".join(found)


def cache_key(*parts: str | bytes, files: Iterable[Path] = (), root: Path | None = None) -> str:
    """A short hash of ``parts`` and of the names and contents of ``files``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    for path in files:
        path = Path(path)
        inside = root is not None and path.resolve().is_relative_to(Path(root).resolve())
        name = path.resolve().relative_to(Path(root).resolve()).as_posix() if inside else path.name
        digest.update(name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@contextlib.contextmanager
def atomic_folder(final: Path) -> Iterator[Path]:
    """A private folder to fill; renamed to ``final`` when the block completes, deleted if it fails.

    If another build wrote ``final`` in the meantime, its copy (built from the same
    inputs) is kept and this one is discarded.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = final.parent / f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}-{final.name}"
    partial.mkdir()
    try:
        yield partial
        try:
            os.rename(partial, final)
        except OSError:
            if not final.is_dir():
                raise
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def _owner_alive(entry: Path) -> bool:
    """Whether a partial folder belongs to a build that is still running (say, `mkdocs serve`)."""
    pid = entry.name.removeprefix(PARTIAL_PREFIX).split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def evict(folder: Path, keep: Iterable[Path]) -> None:
    """Delete every entry of ``folder`` but ``keep``: stale keys and partial folders of dead builds."""
    if not folder.is_dir():
        return
    keep = {Path(path) for path in keep}
    for entry in folder.iterdir():
        if entry in keep or (entry.name.startswith(PARTIAL_PREFIX) and _owner_alive(entry)):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
