"""Brier score as a torchmetrics Metric (torchmetrics ships none for binary confidence)."""

from __future__ import annotations

import torch

from calibmodule.metrics.base import ProcessLocalMetric


class BinaryBrierScore(ProcessLocalMetric):
    """mean((p - y)^2) over all samples seen, on every rank (sum states, reduced by sum).

    >>> m = BinaryBrierScore(); m.update(torch.tensor([0.9, 0.2]), torch.tensor([1, 0])); m.compute()
    tensor(0.0250)
    """

    is_differentiable = False
    higher_is_better = False
    full_state_update = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_state("sum_sq", default=torch.tensor(0.0, dtype=torch.float64), dist_reduce_fx="sum")
        self.add_state("total", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")

    def update(self, preds: torch.Tensor, target: torch.Tensor) -> None:
        self.sum_sq += ((preds.double() - target.double()) ** 2).sum()
        self.total += preds.numel()

    def compute(self) -> torch.Tensor:
        return (self.sum_sq / self.total.clamp(min=1)).float()
