"""Base for calibmodule's sum-state metrics: states private to each process after unpickling.

``torch.multiprocessing`` (Lightning's ``ddp_spawn`` on CPU) moves every tensor it pickles into
shared memory. Lightning copies parameters and buffers back out (``_disable_module_memory_sharing``)
but not torchmetrics states, which are plain attributes: both ranks then ``+=`` into *one* tensor,
a sum-reduced sync counts it twice, and concurrent read-modify-writes lose updates (seen on CI:
rank 0's first batch missing from the Brier sum). Cloning every state on unpickling keeps each
rank's states its own; ``dist_reduce_fx="sum"`` is then correct again.
"""

from __future__ import annotations

import torch
from torchmetrics import Metric


class ProcessLocalMetric(Metric):
    """A ``Metric`` whose tensor states (and defaults) never share storage with another process."""

    def __setstate__(self, state: dict) -> None:
        super().__setstate__(state)
        for name, default in list(self._defaults.items()):
            value = getattr(self, name)
            if isinstance(value, torch.Tensor):
                setattr(self, name, value.clone())
            elif isinstance(value, list):
                setattr(self, name, [v.clone() for v in value])
            if isinstance(default, torch.Tensor):
                self._defaults[name] = default.clone()
