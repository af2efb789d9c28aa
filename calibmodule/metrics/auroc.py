"""AUROC of the stated confidence as a score for correctness, undefined (NaN) with one class only."""

from __future__ import annotations

import torch
from torchmetrics.classification import BinaryAUROC
from torchmetrics.utilities.data import dim_zero_cat


class AnswerAUROC(BinaryAUROC):
    """torchmetrics' ``BinaryAUROC``, except that a set with only right (or only wrong) answers gives NaN,
    as ``metrics.functional.auroc`` and the report do, instead of torchmetrics' 0 (which reads as "ranks
    exactly backwards"). Decided after the sync, on every rank's rows.

    >>> m = AnswerAUROC(); m.update(torch.tensor([0.9, 0.2]), torch.tensor([0, 0])); m.compute()
    tensor(nan)
    >>> m = AnswerAUROC(); m.update(torch.tensor([0.9, 0.2]), torch.tensor([1, 0])); m.compute()
    tensor(1.)
    """

    def compute(self) -> torch.Tensor:
        if self.thresholds is None:
            t = self.target  # a list of batches; one tensor after a cross-process sync
            target = (dim_zero_cat(t) if t else torch.zeros(0)) if isinstance(t, list) else t
            n_pos, n_neg = int(target.sum()), int(target.numel() - target.sum())
        else:  # binned state (thresholds, 2, 2): at the lowest threshold every row is predicted positive
            n_neg, n_pos = int(self.confmat[0, 0].sum()), int(self.confmat[0, 1].sum())
        if n_pos == 0 or n_neg == 0:
            return torch.tensor(float("nan"))
        return super().compute()
