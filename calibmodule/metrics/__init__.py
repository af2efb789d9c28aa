"""Calibration metrics (torchmetrics, DDP-correct: every state is a sum or a concatenation)."""

from __future__ import annotations

from torchmetrics import MetricCollection
from torchmetrics.classification import BinaryCalibrationError

from calibmodule.metrics.accuracy import AnswerAccuracy
from calibmodule.metrics.auroc import AnswerAUROC
from calibmodule.metrics.brier import BinaryBrierScore
from calibmodule.metrics.gap import CalibrationGap

__all__ = ["AnswerAccuracy", "AnswerAUROC", "BinaryBrierScore", "CalibrationGap", "calibration_metrics"]


def calibration_metrics(n_bins: int = 10, sync_on_compute: bool = True) -> MetricCollection:
    """ECE, Brier, AUROC (confidence as a score for correctness), gap and accuracy.

    ``update(confidence, correct)``: confidence float in [0, 1], correct in {0, 1}. Keys:
    ``cal/ECE``, ``cal/Brier``, ``sc/AUROC``, ``cal/gap``, ``acc``; clone with a prefix per stage.
    ``sync_on_compute=False``: this process's rows only (a computation one rank does alone must not wait
    for the others: with a process group, a syncing ``compute`` on one rank hangs).
    """
    kw = {"sync_on_compute": sync_on_compute}
    return MetricCollection({
        "cal/ECE": BinaryCalibrationError(n_bins=n_bins, norm="l1", **kw),
        "cal/Brier": BinaryBrierScore(**kw),
        "sc/AUROC": AnswerAUROC(**kw),
        "cal/gap": CalibrationGap(**kw),
        "acc": AnswerAccuracy(**kw),
    }, compute_groups=False)
