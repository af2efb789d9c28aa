"""Accuracy of the answers (share correct), independent of the stated confidence."""

from __future__ import annotations

import torch

from calibmodule.metrics.base import ProcessLocalMetric


class AnswerAccuracy(ProcessLocalMetric):
    """mean(y) over all samples seen on all ranks; ``preds`` is accepted and ignored so the metric
    fits in the same MetricCollection as the calibration metrics.

    >>> m = AnswerAccuracy(); m.update(torch.tensor([0.9, 0.1]), torch.tensor([1, 0])); m.compute()
    tensor(0.5000)
    """

    is_differentiable = False
    higher_is_better = True
    full_state_update = False

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.add_state("correct", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")
        self.add_state("total", default=torch.tensor(0, dtype=torch.long), dist_reduce_fx="sum")

    def update(self, preds: torch.Tensor, target: torch.Tensor) -> None:
        self.correct += target.long().sum()
        self.total += target.numel()

    def compute(self) -> torch.Tensor:
        return self.correct.float() / self.total.clamp(min=1)
