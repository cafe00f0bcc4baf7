"""Content-addressed caches of build artifacts and test reports: complete keys, entries
that prove themselves, atomic writes, eviction.

* A key hashes the inputs known before a run: the files it is made from, every module of
  the project those files import, transitively (``cache_key``, ``source_closure``), the
  versions of the libraries (``library_versions``) and the environment variables that
  reach it (``environment_fingerprint``).
* What the run then actually read is recorded while it runs (``recording``: the files it
  opened, through an audit hook, and the modules it imported, from ``sys.modules``;
  a subprocess reports the same lists, see ``fingerprints``) and stored in the entry's
  manifest, with each input's fingerprint: a file's digest, a library's version. An
  entry is reused only while every one of them is unchanged.
* A ``ContentCache`` is one folder of entries (one per user, e.g. ``.cache/figures``,
  ``.cache/notebooks``, ``.cache/test-reports/<kind>``). Each entry's manifest holds the
  digest of every file of the entry and a digest of itself: an entry edited by hand,
  truncated or left incomplete is rebuilt, and so is one its user's ``check`` rejects
  (say, a report that did not pass); the reason is logged. An entry is built in a
  private folder (``.partial-<pid>-...``) and renamed to its key when complete, so a
  build killed mid-way leaves at most a partial folder, which no build ever reads and
  the next one deletes.

Nothing here knows what the entries hold.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import hashlib
import json
import logging
import os
import platform
import re
import shutil
import sys
import sysconfig
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from importlib import metadata
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

PARTIAL_PREFIX = ".partial-"
CLOCK_SLACK_SECONDS = 1.0
MANIFEST = "manifest.json"
LOGGER = logging.getLogger("mkdocs.executable_docs.build_cache")


def _module_files(name: str, root: Path) -> list[Path]:
    """The project files that importing module ``name`` runs (its packages' __init__
    too)."""
    parts = name.split(".")
    files = []
    for depth in range(1, len(parts) + 1):
        base = root.joinpath(*parts[:depth])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                files.append(candidate)
    return files


def _imported_modules(tree: ast.AST, package: str) -> set[str]:
    names: set[str] = set()
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
    """Every file of the project under ``root`` that running ``code`` imports,
    transitively."""
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
                    # The package a relative import in that file starts from (the
                    # same for __init__.py).
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


@functools.cache
def distribution_versions(*names: str) -> str:
    """The versions of the distributions ``names`` and of every distribution they
    require, transitively (optional extras aside), as installed: what a process that
    runs them loads from the libraries."""
    found: dict[str, str] = {}
    todo = list(names)
    while todo:
        name = _normalised(todo.pop())
        if name in found:
            continue
        try:
            dist = metadata.distribution(name)
        except PackageNotFoundError:
            continue  # an optional dependency that is not installed
        found[name] = dist.version
        for requirement in dist.requires or ():
            if "extra ==" not in requirement:  # (a name starts every requirement)
                todo.append(re.split(r"[^A-Za-z0-9._-]", requirement, maxsplit=1)[0])
    return " ".join(f"{name}=={found[name]}" for name in sorted(found))


# The environment variables that change what Python code computes or prints: Python's
# own (PYTHONHASHSEED, ...), locale and time zone, the thread pools of the numeric
# libraries (OpenMP, MKL, OpenBLAS, BLIS), the switches of torch, numpy, matplotlib and
# Jupyter (MPLBACKEND, MPLCONFIGDIR, ...), and HOME (where libraries find their
# configuration). The rest (the shell's, make's, pytest's, CA bundles, ...) would only
# make a key differ between two ways of starting the same run. Not
# TORCHINDUCTOR_CACHE_DIR: torch sets it itself, mid-run, on importing torch._dynamo.
COMPUTING_VARIABLES = re.compile(
    r"(?!TORCHINDUCTOR_CACHE_DIR$)"
    r"(PYTHON|LC_|LANG|TZ|OMP_|GOMP_|KMP_|MKL_|OPENBLAS_|BLIS_|VECLIB_|NPY_|NUMPY_"
    r"|TORCH|PYTORCH_|CUDA|CUBLAS_|CUDNN_|MPL|MATPLOTLIB|JUPYTER|IPYTHON|HOME$).*"
)


# Of those, the thread pools' sizes (a pytest-xdist worker gets its share of the cores).
THREAD_POOL_VARIABLES = re.compile(r"(OMP_|GOMP_|KMP_|MKL_|OPENBLAS_|BLIS_|VECLIB_).*")


def environment_fingerprint(
    environ: Mapping[str, str] | None = None, ignore: re.Pattern[str] | None = None
) -> str:
    """The values of the variables (``COMPUTING_VARIABLES``, but those ``ignore``
    matches) that reach a run from its environment."""
    environ = os.environ if environ is None else environ
    kept = sorted(
        (name, value)
        for name, value in environ.items()
        if COMPUTING_VARIABLES.fullmatch(name)
        and not (ignore and ignore.fullmatch(name))
    )
    return hashlib.sha256(repr(kept).encode()).hexdigest()[:20]


def cache_key(
    *parts: str | bytes, files: Iterable[Path] = (), root: Path | None = None
) -> str:
    """A short hash of ``parts`` and of the names and contents of ``files``."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\0")
    base = None if root is None else Path(root).resolve()
    for path in map(Path, files):
        name = path.name  # (a file outside the root: its name only)
        if base is not None and path.resolve().is_relative_to(base):
            name = path.resolve().relative_to(base).as_posix()
        digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


# -- What a run read --------------------------------------------------------------

_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC


def _opens_to_read(mode: object, flags: object) -> bool:
    if isinstance(mode, str):  # open(), io.open_code()
        return not any(letter in mode for letter in "wax+")
    return not (flags if isinstance(flags, int) else 0) & _WRITE_FLAGS  # os.open()


@dataclass
class Reads:
    """What a run opened to read and the modules it imported (absolute paths)."""

    opened: set[str] = field(default_factory=set)
    written: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)

    def note_open(self, path: str, reading: bool) -> None:
        (self.opened if reading else self.written).add(path)

    def paths(self, exclude: Iterable[Path] = ()) -> set[str]:
        """What the run read from outside: not what it wrote itself, not bytecode
        caches (their modules' sources count), not under ``exclude`` (the run's own
        scratch folders)."""
        folders = [str(Path(folder).resolve()) + os.sep for folder in exclude]
        return {
            path
            for path in (self.opened - self.written) | self.modules
            if f"{os.sep}__pycache__{os.sep}" not in path
            and not any(path.startswith(folder) for folder in folders)
        }


class _AuditHook:
    """The process's one audit hook (an audit hook cannot be removed once added): it
    hands every "open" event to the recordings in progress, in any thread (a test's HTTP
    server serves a browser's requests from threads of its own)."""

    def __init__(self) -> None:
        self.recordings: list[Reads] = []
        sys.addaudithook(self)

    def __call__(self, event: str, args: tuple) -> None:
        if event != "open" or not self.recordings:
            return
        path, mode, flags = args
        if isinstance(path, int):
            return  # an open file descriptor: its file was opened, and noted, before
        path = os.path.abspath(os.fsdecode(path))
        for reads in self.recordings:
            reads.note_open(path, _opens_to_read(mode, flags))


@functools.cache
def _audit_hook() -> _AuditHook:
    return _AuditHook()


def module_files(modules: Iterable[object]) -> set[str]:
    """The files modules were loaded from (sources, extension modules)."""
    files = set()
    for module in modules:
        origin = getattr(getattr(module, "__spec__", None), "origin", None)
        origin = origin or getattr(module, "__file__", None)
        if isinstance(origin, str) and os.path.isabs(origin):
            files.add(origin)
    return files


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Record, in this process, the files opened while the block runs and the modules
    it imports; a module imported earlier by something else is not seen (give the code
    run to ``source_closure`` as well, the libraries to ``fingerprints(libraries=)``).
    """
    hook = _audit_hook()
    reads = Reads()
    before = set(sys.modules)
    hook.recordings.append(reads)
    try:
        yield reads
    finally:
        hook.recordings.remove(reads)
        reads.modules |= module_files(
            module for name, module in list(sys.modules.items()) if name not in before
        )


@functools.cache
def _library_folders() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Where installed distributions live, and the standard library (resolved)."""
    paths = sysconfig.get_paths()
    # (Not platstdlib: in a venv, that folder holds the installed libraries.)
    stdlib = {os.path.realpath(paths["stdlib"])}
    installed = {os.path.realpath(paths[name]) for name in ("purelib", "platlib")}
    installed |= {
        os.path.realpath(entry)
        for entry in sys.path
        if os.path.basename(entry) in ("site-packages", "dist-packages")
    }
    return tuple(sorted(installed)), tuple(sorted(stdlib - installed))


def _normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@functools.cache
def _site_versions(folder: str) -> dict[str, tuple[str, str]]:
    """Each distribution installed in ``folder`` (a site-packages), by normalised name:
    (name, version), from the names of its ``<name>-<version>.dist-info`` folders
    (parsing each one's metadata would take seconds)."""
    found = {}
    for info in Path(folder).glob("*.dist-info"):
        name, _, release = info.name.removesuffix(".dist-info").partition("-")
        found[_normalised(name)] = (name, release)
    return found


@functools.cache
def _site_top_levels(folder: str) -> dict[str, tuple[str, str]]:
    """The distribution installing each top-level entry of ``folder`` whose name is not
    the distribution's (``PIL``, ``yaml``, ``numpy.libs``): from their top_level.txt or
    RECORD files."""
    found: dict[str, tuple[str, str]] = {}
    for info in sorted(Path(folder).glob("*.dist-info")):
        name, _, release = info.name.removesuffix(".dist-info").partition("-")
        top_level = info / "top_level.txt"
        if top_level.is_file():
            entries = top_level.read_text(encoding="utf-8").split()
        else:
            record = (info / "RECORD").read_text(encoding="utf-8").splitlines()
            entries = [line.split("/")[0].split(",")[0] for line in record]
        for entry in entries:
            entry = _normalised(re.sub(r"\.(py|libs)$", "", entry))
            found.setdefault(entry, (name, release))
    return found


def _distribution_of(folder: str, top_level: str) -> tuple[str, str] | None:
    """The distribution installing ``top_level`` (a package folder, module, .libs,
    .dist-info) in ``folder``."""
    if top_level.endswith(".dist-info"):
        name = top_level.removesuffix(".dist-info").partition("-")[0]
    else:
        name = re.sub(r"\.(py|libs)$|\..*\.so$|\.so$", "", top_level)
    name = _normalised(name)
    return _site_versions(folder).get(name) or _site_top_levels(folder).get(name)


def _installed(name: str) -> str:
    """The version of ``name`` installed where this process finds its libraries."""
    for folder in _library_folders()[0]:
        found = _site_versions(folder).get(_normalised(name))
        if found:
            return found[1]
    return "not installed"


# The kernel's views of processes and devices: not inputs (/proc/self/maps differs in
# every process).
PSEUDO_FILES = ("/proc/", "/sys/", "/dev/")


def _fingerprint_of_path(path: str) -> tuple[str, str] | None:
    """(input name, fingerprint) for a file a run read; None for a pseudo-file."""
    if path.startswith(PSEUDO_FILES):
        return None
    real = os.path.realpath(path)
    installed, stdlib = _library_folders()
    for folder in installed:
        if real.startswith(folder + os.sep):
            found = _distribution_of(folder, real[len(folder) + 1 :].split(os.sep)[0])
            if found:
                return f"dist:{found[0]}", found[1]
    if any(real.startswith(folder + os.sep) for folder in stdlib):
        return "python", platform.python_version()
    return f"file:{path}", _file_fingerprint(path)


def _file_fingerprint(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            return "sha256:" + hashlib.file_digest(stream, "sha256").hexdigest()
    except IsADirectoryError:
        return "folder"
    except FileNotFoundError:
        return "missing"


def fingerprints(
    paths: Iterable[str], libraries: Iterable[object] = ()
) -> dict[str, str]:
    """Each input a run read, by name, with what it was: ``file:<path>`` -> its digest
    ("missing" if it was looked for and absent), ``dist:<name>`` -> the version of an
    installed distribution any of ``paths`` belongs to, ``python`` -> the version of
    Python (the standard library). ``libraries``: modules the run used that were loaded
    before it started (their distributions count, not their files)."""
    found = dict(filter(None, map(_fingerprint_of_path, sorted(set(paths)))))
    for name, fingerprint in filter(
        None, map(_fingerprint_of_path, module_files(libraries))
    ):
        if not name.startswith("file:"):
            found[name] = fingerprint
    return dict(sorted(found.items()))


def changed_input(inputs: Mapping[str, str]) -> str | None:
    """The first of ``inputs`` (see ``fingerprints``) that is not what it was,
    described; or None when all are unchanged."""
    for name, was in inputs.items():
        kind, _, what = name.partition(":")
        if kind == "file":
            now = _file_fingerprint(what)
        elif kind == "dist":
            now = _installed(what)
        elif kind == "python":
            now = platform.python_version()
        else:
            return f"an input of an unknown kind, {name!r}"
        if now != was:
            return f"{what or name} changed ({was} -> {now})"
    return None


# -- Entries ---------------------------------------------------------------------


@contextlib.contextmanager
def atomic_folder(final: Path) -> Iterator[Path]:
    """A private folder to fill; renamed to ``final`` when the block completes, deleted
    if it fails.

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
    """Whether a partial folder belongs to a build that is still running (say, `mkdocs
    serve`)."""
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
    """Delete every entry of ``folder`` but ``keep``: stale keys and partial folders of
    dead builds."""
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


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _entry_files(folder: Path) -> dict[str, str]:
    """Every file of an entry but its manifest, by path in the entry, and its digest."""
    return {
        path.relative_to(folder).as_posix(): _digest(path.read_bytes())
        for path in sorted(folder.rglob("*"))
        if path.is_file() and path.name != MANIFEST
    }


def _write_manifest(folder: Path, key: str, inputs: Mapping[str, str]) -> None:
    body = {"key": key, "files": _entry_files(folder), "inputs": dict(inputs)}
    text = json.dumps(body, sort_keys=True)
    manifest = {"digest": _digest(text.encode()), **body}
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=1), encoding="utf-8")


def _manifest_problem(folder: Path, key: str, files: Iterable[str]) -> str | None:
    """Why the entry in ``folder`` is not the complete, untouched entry of ``key``."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        digest = manifest.pop("digest")
    except (OSError, ValueError, AttributeError, KeyError):
        return (
            "it has no readable manifest (an older layout, or not written by a build)"
        )
    if digest != _digest(json.dumps(manifest, sort_keys=True).encode()):
        return "its manifest does not match its digest (edited)"
    if manifest.get("key") != key:
        return "its manifest names another key"
    stored = _entry_files(folder)
    for name, expected in manifest.get("files", {}).items():
        if name not in stored:
            return f"{name} is missing"
        if stored[name] != expected:
            return f"{name} does not match the digest stored beside it (edited)"
    for name in sorted(set(stored) - set(manifest.get("files", {}))):
        return f"{name} was added after the entry was stored"
    for name in files:
        if name not in stored:
            return f"{name} is missing"
    return changed_input(manifest.get("inputs", {}))


class ContentCache:
    """One folder of cache entries, each a folder named by its key; one instance per run
    and user.

    ::

        cache = ContentCache(root / ".cache" / "figures")
        folder = cache.entry(key, build=lambda folder: ..., files=("light.svg",))
        ...
        cache.evict_unused()

    * ``entry(key, build, files, check=None, record=False)``: the entry's folder,
      reused when it is complete and untouched (every file matches the digest its
      manifest holds, ``files``, names relative to the folder, are among them), every
      input its manifest records is unchanged and ``check(folder)`` finds no problem;
      else built by ``build(folder)`` into a private folder and renamed into place when
      ``build`` returns (if it raises, nothing is kept). With ``record``, what ``build``
      reads in this process is recorded (``recording``) as the entry's inputs.
    * ``lookup(key, files, check)`` / ``store(key, build, inputs=...)``: the two halves
      of ``entry``, for a user that builds several missing entries at once (the
      notebooks run in parallel kernels) or whose run happens elsewhere (``inputs``:
      ``fingerprints`` of what a subprocess reported reading).
    * ``evict_unused(used_since=None)``: deletes every entry this instance neither
      looked up nor stored, and the partial folders of builds that are no longer
      running. With ``used_since`` (a ``time.time()``), an entry that any process
      used at or after that moment is kept too: a use touches the entry's folder,
      so a pytest-xdist controller can evict, at the end of the session, what none
      of its workers used (``used_since`` = the session's start).

    An entry that exists but is not reused is deleted, and why is said with ``log`` (by
    default the logger ``mkdocs.executable_docs.build_cache``: a child of MkDocs' own,
    so a build shows it, at INFO) and kept in ``rejected`` (entry folder -> reason).

    Eviction is per folder: give each user (figures, notebooks, test results) a
    folder of its own, so that one user never evicts another's entries.
    ``label`` prefixes a folder's name (``<label>-<key>``) so that a person browsing
    the cache sees what an entry is; it is not part of the key.
    """

    def __init__(self, folder: Path, log: Callable[[str], None] | None = None) -> None:
        self.folder = Path(folder)
        self.used: set[Path] = set()
        self.rejected: dict[str, str] = {}
        self.log = log or LOGGER.info

    def path(self, key: str, label: str = "") -> Path:
        return self.folder / (f"{label}-{key}" if label else key)

    def lookup(
        self,
        key: str,
        files: Iterable[str] = (),
        label: str = "",
        check: Callable[[Path], str | None] | None = None,
    ) -> Path | None:
        """The complete entry for ``key`` (marked as used), or None if it must be built.

        An entry that fails its manifest or ``check`` is deleted, and why is logged.
        """
        folder = self.path(key, label)
        self.used.add(folder)
        if not folder.exists():
            return None
        problem = _manifest_problem(folder, key, files) if folder.is_dir() else None
        if folder.is_dir() and problem is None and check is not None:
            problem = check(folder)
        if folder.is_dir() and problem is None:
            os.utime(folder)  # used now (see evict_unused)
            return folder
        self.rejected[folder.name] = problem or "not a folder"
        self.log(f"{folder}: made anew, {self.rejected[folder.name]}")
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder, ignore_errors=True)
        else:
            folder.unlink(missing_ok=True)
        return None

    def store(
        self,
        key: str,
        build: Callable[[Path], object],
        label: str = "",
        inputs: Mapping[str, str] | None = None,
        record: bool = False,
    ) -> Path:
        """Build the entry for ``key`` with ``build(folder)``, atomically; its folder.

        ``inputs`` (``fingerprints`` of what the run read), or with ``record`` what
        ``build`` reads in this process, go into the entry's manifest."""
        folder = self.path(key, label)
        self.used.add(folder)
        with atomic_folder(folder) as partial:
            if record:
                with recording() as reads:
                    build(partial)
                inputs = {**fingerprints(reads.paths()), **(inputs or {})}
            else:
                build(partial)
            _write_manifest(partial, key, inputs or {})
        os.utime(folder)  # another process may have stored it first, earlier
        return folder

    def entry(
        self,
        key: str,
        build: Callable[[Path], object],
        files: Iterable[str] = (),
        label: str = "",
        check: Callable[[Path], str | None] | None = None,
        record: bool = False,
    ) -> Path:
        """The entry for ``key``: from the cache when complete, else built now."""
        return self.lookup(key, files, label, check) or self.store(
            key, build, label, record=record
        )

    def evict_unused(self, used_since: float | None = None) -> None:
        keep = set(self.used)
        if used_since is not None and self.folder.is_dir():
            # File times come from the kernel's coarse clock, which may lag time.time()
            # by a tick.
            since = used_since - CLOCK_SLACK_SECONDS
            keep |= {
                entry
                for entry in self.folder.iterdir()
                if entry.stat().st_mtime >= since
            }
        evict(self.folder, keep)
