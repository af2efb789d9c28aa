"""Calibration gap: mean confidence minus accuracy (> 0: over-confident)."""

from __future__ import annotations

import torch

from calibmodule.metrics.base import ProcessLocalMetric


class CalibrationGap(ProcessLocalMetric):
    """mean(p) - mean(y) over all samples seen on all ranks.

    >>> m = CalibrationGap(); m.update(torch.tensor([0.9, 0.7]), torch.tensor([1, 0])); m.compute()
    tensor(0.3000)
    """

    is_differentiable = False
    higher_is_better = None
    full_state_update = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_state("sum_conf", default=torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("sum_correct", default=torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("total", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")

    def update(self, preds: torch.Tensor, target: torch.Tensor) -> None:
        self.sum_conf += preds.double().sum()
        self.sum_correct += target.double().sum()
        self.total += preds.numel()

    def compute(self) -> torch.Tensor:
        return ((self.sum_conf - self.sum_correct) / self.total.clamp(min=1)).float()
