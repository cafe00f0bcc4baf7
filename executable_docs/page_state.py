"""Process-wide settings a page may change, kept per page so no page sees another's.

Every page starts from the settings the process had when this module was
imported (torch's defaults: float32, CPU, grad on, print precision 4, ...).
While a page's block runs, the page's own settings are in force; between its
blocks the process is back to the baseline, so pages run in any order, or
interleaved, print the same. A page that ends with a setting changed fails,
naming the page and the setting: readers who copy a page's code get the change.
Random generators are kept per page too (executable_docs.randomness).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy
import torch


@dataclass(frozen=True)
class Setting:
    name: str  # as a failure names it
    get: Callable[[], Any]
    set: Callable[[Any], None]
    restore_hint: str


def _set_default_device(device: torch.device) -> None:
    # set_default_device("cpu") would install a device mode that slows every tensor creation.
    torch.set_default_device(None if device == torch.device("cpu") else device)


_TORCH_PRINT_OPTIONS = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

SETTINGS = (
    Setting("torch's default dtype", torch.get_default_dtype, torch.set_default_dtype, "torch.set_default_dtype(torch.float32)"),
    Setting("torch's default device", torch.get_default_device, _set_default_device, 'torch.set_default_device("cpu")'),
    Setting(
        "torch's print options",
        # torch has set_printoptions but no getter: PRINT_OPTS holds what set_printoptions sets.
        lambda: {name: getattr(torch._tensor_str.PRINT_OPTS, name) for name in _TORCH_PRINT_OPTIONS},
        lambda options: torch.set_printoptions(**options),
        'torch.set_printoptions(profile="default")',
    ),
    Setting("numpy's print options", numpy.get_printoptions, lambda o: numpy.set_printoptions(**o), "numpy.set_printoptions(...)"),
    Setting("grad mode", torch.is_grad_enabled, torch.set_grad_enabled, "use `with torch.no_grad():` instead of torch.set_grad_enabled(False)"),
    Setting("anomaly detection", torch.is_anomaly_enabled, torch.set_anomaly_enabled, "use `with torch.autograd.detect_anomaly():`"),
    Setting(
        "deterministic algorithms flag",
        lambda: (torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()),
        lambda flags: torch.use_deterministic_algorithms(flags[0], warn_only=flags[1]),
        "torch.use_deterministic_algorithms(False)",
    ),
    Setting("torch's thread count", torch.get_num_threads, torch.set_num_threads, "torch.set_num_threads(<the count before>)"),
)


def current() -> dict[str, Any]:
    return {setting.name: setting.get() for setting in SETTINGS}


def _apply(values: dict[str, Any]) -> None:
    for setting in SETTINGS:
        if setting.get() != values[setting.name]:
            setting.set(values[setting.name])


BASELINE = current()


class PageStateChanged(Exception):
    """A page ended with a process-wide setting other than the one every page starts from."""

    def __init__(self, page: str, changed: list[tuple[Setting, Any]]) -> None:
        lines = [
            f"{page}: the page changes process-wide state and does not restore it, so a reader's later code "
            "(and every other page, without this harness) would run differently:"
        ]
        for setting, value in changed:
            lines.append(
                f"  {setting.name}: {value!r} at the end of the page, every page starts with "
                f"{BASELINE[setting.name]!r} (restore it: {setting.restore_hint})"
            )
        super().__init__("\n".join(lines))


class PageState:
    """The settings of one page: in force while its blocks run, the baseline's otherwise."""

    def __init__(self) -> None:
        self.values = dict(BASELINE)

    @contextlib.contextmanager
    def active(self):
        _apply(self.values)
        try:
            yield
        finally:
            self.values = current()
            _apply(BASELINE)

    def check_restored(self, page: str) -> None:
        changed = [(s, self.values[s.name]) for s in SETTINGS if self.values[s.name] != BASELINE[s.name]]
        if changed:
            raise PageStateChanged(page, changed)
