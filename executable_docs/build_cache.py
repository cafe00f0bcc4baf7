"""Content-addressed caches of build artifacts: complete keys, atomic writes, eviction.

* A key hashes every input that can change a cached artifact: the files it reads,
  and every module of the project those files import, transitively (an artifact
  made from code that imports ``snippets.regression_data`` changes when that file
  does), plus the versions of the libraries that compute it (``cache_key``,
  ``source_closure``, ``library_versions``).
* A ``ContentCache`` is one folder of entries (one per user, e.g. ``.cache/figures``,
  ``.cache/notebooks``): get or build an entry folder by key, then evict the
  entries this run did not use. An entry is built in a private folder
  (``.partial-<pid>-...``) and renamed to its key when complete, so a build killed
  mid-way leaves at most a partial folder, which no build ever reads and the next
  one deletes.

Nothing here knows what the entries hold.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterable, Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PARTIAL_PREFIX = ".partial-"
CLOCK_SLACK_SECONDS = 1.0


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
                base = (
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    if package
                    else []
                )
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            if module:
                names.add(module)
                names.update(
                    f"{module}.{alias.name}" for alias in node.names
                )  # `from pkg import submodule`
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
                    todo.append(
                        (
                            path.read_text(encoding="utf-8"),
                            ".".join(relative.parts[:-1]),
                        )
                    )
    return seen


def source_closure(
    files: Iterable[Path], root: Path, extra_code: Iterable[str] = ()
) -> list[Path]:
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
            closure |= {
                p.resolve()
                for p in project_imports(
                    path.read_text(encoding="utf-8"), root, package
                )
            }
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


def cache_key(
    *parts: str | bytes, files: Iterable[Path] = (), root: Path | None = None
) -> str:
    """A short hash of ``parts`` and of the names and contents of ``files``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    for path in files:
        path = Path(path)
        inside = root is not None and path.resolve().is_relative_to(
            Path(root).resolve()
        )
        name = (
            path.resolve().relative_to(Path(root).resolve()).as_posix()
            if inside
            else path.name
        )
        digest.update(name.encode() + b"\0" + Path(path).read_bytes() + b"\0")
    return digest.hexdigest()[:20]


@contextlib.contextmanager
def atomic_folder(final: Path) -> Iterator[Path]:
    """A private folder to fill; renamed to ``final`` when the block completes, deleted if it fails.

    If another build wrote ``final`` in the meantime, its copy (built from the same
    inputs) is kept and this one is discarded.
    """
    final.parent.mkdir(parents=True, exist_ok=True)
    partial = (
        final.parent
        / f"{PARTIAL_PREFIX}{os.getpid()}-{uuid.uuid4().hex[:8]}-{final.name}"
    )
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
        if entry in keep or (
            entry.name.startswith(PARTIAL_PREFIX) and _owner_alive(entry)
        ):
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


class ContentCache:
    """One folder of cache entries, each a folder named by its key; one instance per run and user.

    ::

        cache = ContentCache(root / ".cache" / "figures")
        folder = cache.entry(key, build=lambda folder: ..., files=("light.svg",))
        ...
        cache.evict_unused()

    * ``entry(key, build, files)``: the entry's folder, reused when it holds every
      one of ``files`` (names relative to the folder), else built by
      ``build(folder)`` into a private folder and renamed into place when
      ``build`` returns (if it raises, nothing is kept).
    * ``lookup(key, files)`` / ``store(key, build)``: the two halves of ``entry``,
      for a user that builds several missing entries at once (the notebooks run
      in parallel kernels).
    * ``evict_unused(used_since=None)``: deletes every entry this instance neither
      looked up nor stored, and the partial folders of builds that are no longer
      running. With ``used_since`` (a ``time.time()``), an entry that any process
      used at or after that moment is kept too: a use touches the entry's folder,
      so a pytest-xdist controller can evict, at the end of the session, what none
      of its workers used (``used_since`` = the session's start).

    Eviction is per folder: give each user (figures, notebooks, test results) a
    folder of its own, so that one user never evicts another's entries.
    ``label`` prefixes a folder's name (``<label>-<key>``) so that a person browsing
    the cache sees what an entry is; it is not part of the key.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self.used: set[Path] = set()

    def path(self, key: str, label: str = "") -> Path:
        return self.folder / (f"{label}-{key}" if label else key)

    def lookup(
        self, key: str, files: Iterable[str] = (), label: str = ""
    ) -> Path | None:
        """The complete entry for ``key`` (marked as used), or None if it must be built.

        A folder under the key that lacks one of ``files`` was not written by
        ``store`` (an older layout, or a hand edit): it is deleted.
        """
        folder = self.path(key, label)
        self.used.add(folder)
        if folder.is_dir() and all((folder / name).is_file() for name in files):
            os.utime(folder)  # used now (see evict_unused)
            return folder
        if folder.exists():
            shutil.rmtree(folder)
        return None

    def store(self, key: str, build: Callable[[Path], object], label: str = "") -> Path:
        """Build the entry for ``key`` with ``build(folder)``, atomically; its final folder."""
        folder = self.path(key, label)
        self.used.add(folder)
        with atomic_folder(folder) as partial:
            build(partial)
        os.utime(folder)  # another process may have stored it first, earlier
        return folder

    def entry(
        self,
        key: str,
        build: Callable[[Path], object],
        files: Iterable[str] = (),
        label: str = "",
    ) -> Path:
        """The entry for ``key``: from the cache when complete, else built now."""
        return self.lookup(key, files, label) or self.store(key, build, label)

    def evict_unused(self, used_since: float | None = None) -> None:
        keep = set(self.used)
        if used_since is not None and self.folder.is_dir():
            # File times come from the kernel's coarse clock, which may lag time.time() by a tick.
            since = used_since - CLOCK_SLACK_SECONDS
            keep |= {
                entry
                for entry in self.folder.iterdir()
                if entry.stat().st_mtime >= since
            }
        evict(self.folder, keep)
