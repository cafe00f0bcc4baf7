"""Random generator state owned by one page, so its output does not depend on what ran before."""

from __future__ import annotations

import contextlib
import random

import numpy
import torch


class PageRandomness:
    """The state of every generator page code may use, seeded once and then saved and restored.

    Each page gets its own, so what a page prints is the same whichever pages or
    tests ran before it in the process, and in whatever order its blocks' tests run.
    """

    def __init__(self, seed: int) -> None:
        random.seed(seed)
        numpy.random.seed(seed)
        torch.manual_seed(seed)
        self._save()

    def _save(self) -> None:
        self._states = (random.getstate(), numpy.random.get_state(), torch.random.get_rng_state())

    @contextlib.contextmanager
    def active(self):
        python_state, numpy_state, torch_state = self._states
        random.setstate(python_state)
        numpy.random.set_state(numpy_state)
        torch.random.set_rng_state(torch_state)
        try:
            yield
        finally:
            self._save()
