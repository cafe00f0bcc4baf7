"""The process-wide state this site's page code can change: torch's and numpy's.

Named in ``pyproject.toml`` (``[tool.executable_docs] page_state``), so the harness
(executable_docs.page_state) keeps these per page: every page starts from torch's
defaults (float32, CPU, grad on, print precision 4, ...) and from seed 0 in each
generator, and a page that leaves a setting changed fails, naming the page and the
setting.
"""

from __future__ import annotations

import numpy
import torch

from executable_docs.page_state import Generator, Setting


def _set_default_device(device: torch.device) -> None:
    # set_default_device("cpu") would install a device mode that slows every tensor
    # creation.
    torch.set_default_device(None if device == torch.device("cpu") else device)


_TORCH_PRINT_OPTIONS = ("precision", "threshold", "edgeitems", "linewidth", "sci_mode")

SETTINGS = (
    Setting(
        "torch's default dtype",
        torch.get_default_dtype,
        torch.set_default_dtype,
        "torch.set_default_dtype(torch.float32)",
    ),
    Setting(
        "torch's default device",
        torch.get_default_device,
        _set_default_device,
        'torch.set_default_device("cpu")',
    ),
    Setting(
        "torch's print options",
        # torch has set_printoptions but no getter: PRINT_OPTS holds what
        # set_printoptions sets.
        lambda: {
            name: getattr(torch._tensor_str.PRINT_OPTS, name)
            for name in _TORCH_PRINT_OPTIONS
        },
        lambda options: torch.set_printoptions(**options),
        'torch.set_printoptions(profile="default")',
    ),
    Setting(
        "numpy's print options",
        numpy.get_printoptions,
        lambda o: numpy.set_printoptions(**o),
        "numpy.set_printoptions(...)",
    ),
    Setting(
        "grad mode",
        torch.is_grad_enabled,
        torch.set_grad_enabled,
        "use `with torch.no_grad():` instead of torch.set_grad_enabled(False)",
    ),
    Setting(
        "anomaly detection",
        torch.is_anomaly_enabled,
        torch.set_anomaly_enabled,
        "use `with torch.autograd.detect_anomaly():`",
    ),
    Setting(
        "deterministic algorithms flag",
        lambda: (
            torch.are_deterministic_algorithms_enabled(),
            torch.is_deterministic_algorithms_warn_only_enabled(),
        ),
        lambda flags: torch.use_deterministic_algorithms(flags[0], warn_only=flags[1]),
        "torch.use_deterministic_algorithms(False)",
    ),
    Setting(
        "torch's thread count",
        torch.get_num_threads,
        torch.set_num_threads,
        "torch.set_num_threads(<the count before>)",
    ),
)

GENERATORS = (
    Generator(
        "numpy's global generator",
        numpy.random.seed,
        numpy.random.get_state,
        numpy.random.set_state,
    ),
    Generator(
        "torch's default generator",
        torch.manual_seed,
        torch.random.get_rng_state,
        torch.random.set_rng_state,
    ),
)

# torch names its compile cache folder in the environment when torch._dynamo is first
# imported (an optimizer's first step imports it), whichever page that is.
LIBRARY_VARIABLES = ("TORCHINDUCTOR_CACHE_DIR",)
