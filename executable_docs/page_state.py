"""Process-wide state a page may change, kept per page so no page sees another's.

The harness names no library. A project says in ``pyproject.toml`` which module
declares the state its pages' code can change::

    [tool.executable_docs]
    page_state = "my_site.page_state"  # a module of the project

That module defines two sequences:

* ``SETTINGS``: ``Setting`` entries, process-wide settings a page may change but must
  restore (a library's print options, default types, flags). Every page starts from
  the values they had when the module was loaded; while a page's block runs, the page's
  own values are in force, and between its blocks the process is back to that baseline,
  so pages run in any order, or interleaved, print the same. A page that ends with a
  setting changed fails, naming the page and the setting (readers who copy the page's
  code get the change).
* ``GENERATORS``: ``Generator`` entries, random generators each page seeds with the same
  seed and then keeps for itself, so what a page prints does not depend on what ran
  before it. Python's own ``random`` is always one.
* ``LIBRARY_VARIABLES`` (optional): names of environment variables a library sets
  itself on first use of a feature (a cache folder it names). Whichever page first uses
  the feature would be blamed for them; they are not the page's change.

Without the setting only Python's ``random`` is kept per page. Python's own
process-wide state (``PYTHON_SETTINGS``: environment variables, working directory,
``sys.path``, recursion limit) is every project's: a page that leaves it changed fails
the same way.

The module is imported when the first page or snippet file runs (never while
collecting), by every caller of ``executable_docs.page_runs`` and
``executable_docs.snippet_files`` alike: the pytest plugin, the refresh
(``python -m executable_docs.snippet_files``) and a site's build.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import os
import random
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SETTING_KEY = "page_state"


@dataclass(frozen=True)
class Setting:
    name: str  # as a failure names it
    get: Callable[[], Any]
    set: Callable[[Any], None]
    restore_hint: str  # how page code restores it, for the failure message


@dataclass(frozen=True)
class Generator:
    name: str
    seed: Callable[[int], None]
    get_state: Callable[[], Any]
    set_state: Callable[[Any], None]


def _environment() -> dict[str, str]:
    # pytest's own variables (PYTEST_CURRENT_TEST) change from test to test.
    return {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}


def _set_environment(values: dict[str, str]) -> None:
    for name in set(_environment()) - set(values):
        del os.environ[name]
    os.environ.update(values)


def _set_path(entries: list[str]) -> None:
    sys.path[:] = entries


# Python's own process-wide state, the same for every project. A page may change it
# but must restore it by its end; unlike a project's settings it is kept relative to
# the process as each block finds it (a test runner may move the working directory or
# the path around a page, as pytester does).
PYTHON_SETTINGS = (
    Setting("os.environ", _environment, _set_environment, "delete what it set"),
    Setting("working directory", os.getcwd, os.chdir, "os.chdir() back"),
    Setting("sys.path", lambda: list(sys.path), _set_path, "remove what it added"),
    Setting(
        "recursion limit",
        sys.getrecursionlimit,
        sys.setrecursionlimit,
        "sys.setrecursionlimit(<the limit before>)",
    ),
)

PYTHON_RANDOM = Generator(
    "Python's random", random.seed, random.getstate, random.setstate
)


@dataclass(frozen=True)
class StateDeclaration:
    """What the project's module declares, and the settings' values when it loaded."""

    settings: tuple[Setting, ...]
    generators: tuple[Generator, ...]
    baseline: dict[str, Any]
    library_variables: frozenset[str] = frozenset()

    def current(self) -> dict[str, Any]:
        return {setting.name: setting.get() for setting in self.settings}

    def apply(self, values: dict[str, Any]) -> None:
        for setting in self.settings:
            if setting.get() != values[setting.name]:
                setting.set(values[setting.name])


def page_state_module(root: Path) -> str | None:
    """The module that ``[tool.executable_docs] page_state`` of ``root/pyproject.toml``
    names, if any."""
    path = Path(root) / "pyproject.toml"
    if not path.is_file():
        return None
    tool = (
        tomllib.loads(path.read_text(encoding="utf-8"))
        .get("tool", {})
        .get("executable_docs", {})
    )
    return tool.get(SETTING_KEY)


def declared(root: Path) -> StateDeclaration:
    return _import_declaration(page_state_module(root))


@functools.cache
def _import_declaration(name: str | None) -> StateDeclaration:
    module = importlib.import_module(name) if name else None
    # The libraries just imported hold most of the process's objects and never become
    # garbage: taken out of the cyclic collector, its full passes while pages run (and
    # pytest's gc.collect at the end) walk only what the pages make. The pages' own
    # objects are collected as usual.
    gc.freeze()
    settings: tuple[Setting, ...] = tuple(getattr(module, "SETTINGS", ()))
    generators: tuple[Generator, ...] = (
        PYTHON_RANDOM,
        *getattr(module, "GENERATORS", ()),
    )
    return StateDeclaration(
        settings,
        generators,
        {setting.name: setting.get() for setting in settings},
        frozenset(getattr(module, "LIBRARY_VARIABLES", ())),
    )


class PageStateChanged(Exception):
    """A page ended with a process-wide setting other than every page starts from."""

    def __init__(
        self, page: str, changed: list[tuple[Setting, Any]], baseline: dict[str, Any]
    ) -> None:
        lines = [
            (
                f"{page}: the page changes process-wide state and does not restore it, "
                "so a reader's later code (and every other page, without this harness) "
                "would run differently:"
            )
        ]
        for setting, value in changed:
            lines.append(
                f"  {setting.name}: {_difference(value, baseline[setting.name])} "
                f"(restore it: {setting.restore_hint})"
            )
        super().__init__("\n".join(lines))


def _difference(value: Any, start: Any) -> str:
    if isinstance(value, dict) and isinstance(start, dict):
        names = sorted(
            k for k in value.keys() | start.keys() if value.get(k) != start.get(k)
        )
        return ", ".join(f"{k}={value.get(k)!r} (was {start.get(k)!r})" for k in names)
    if isinstance(value, list) and isinstance(start, list):
        added = [entry for entry in value if entry not in start]
        removed = [entry for entry in start if entry not in value]
        return f"added {added}, removed {removed}"
    return f"{value!r} at the end of the page, every page starts with {start!r}"


class PageState:
    """One page's settings and random generators: in force while its code runs, the
    baseline's otherwise.

    The generators are seeded once, with ``seed``; each run resumes them where the
    page's previous run left them.
    """

    def __init__(self, root: Path, seed: int) -> None:
        self.declared = declared(root)
        self.values = dict(self.declared.baseline)
        # PYTHON_SETTINGS the page's code changed: name -> (as found, as left)
        self.python_changes: dict[str, tuple[Any, Any]] = {}
        for generator in self.declared.generators:
            generator.seed(seed)
        self._save_generators()

    def _save_generators(self) -> None:
        self.generator_states = [
            generator.get_state() for generator in self.declared.generators
        ]

    @contextlib.contextmanager
    def active(self):
        found = {setting.name: setting.get() for setting in PYTHON_SETTINGS}
        for setting in PYTHON_SETTINGS:
            if setting.name in self.python_changes:
                setting.set(self.python_changes[setting.name][1])
        for generator, state in zip(self.declared.generators, self.generator_states):
            generator.set_state(state)
        self.declared.apply(self.values)
        try:
            yield
        finally:
            self._save_generators()
            self.values = self.declared.current()
            self.declared.apply(self.declared.baseline)
            self._keep_python_changes(found)

    def _keep_python_changes(self, found: dict[str, Any]) -> None:
        """Note what the page's code changed of PYTHON_SETTINGS, and undo it."""
        for setting in PYTHON_SETTINGS:
            before = self.python_changes.get(setting.name, (found[setting.name],))[0]
            left = setting.get()
            if self._page_part(setting, left) == self._page_part(setting, before):
                self.python_changes.pop(setting.name, None)
            else:
                self.python_changes[setting.name] = (before, left)
            if left != found[setting.name]:
                setting.set(found[setting.name])

    def _page_part(self, setting: Setting, value: Any) -> Any:
        # A variable a library sets itself is compared with nothing: not the page's.
        if setting is not PYTHON_SETTINGS[0] or not self.declared.library_variables:
            return value
        return {
            name: text
            for name, text in value.items()
            if name not in self.declared.library_variables
        }

    def check_restored(self, page: str) -> None:
        baseline = self.declared.baseline
        changed = [
            (s, self.values[s.name])
            for s in self.declared.settings
            if self.values[s.name] != baseline[s.name]
        ]
        python = {s.name: s for s in PYTHON_SETTINGS}
        changed += [
            (python[name], left) for name, (_, left) in self.python_changes.items()
        ]
        starts = {name: before for name, (before, _) in self.python_changes.items()}
        if changed:
            raise PageStateChanged(page, changed, baseline | starts)
