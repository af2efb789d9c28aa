"""ReliabilityDiagram: a reliability diagram + confidence histogram as a TensorBoard image at every
validation, from the (confidence, correct) pairs the module's validation_step returns."""

from __future__ import annotations

import lightning as L
import torch
from lightning.pytorch.loggers import TensorBoardLogger
from typing_extensions import override

from calibmodule.plots import reliability_figure


class ReliabilityDiagram(L.Callback):
    def __init__(self, n_bins: int = 10) -> None:
        """
        Args:
            n_bins: equal-width confidence bins.
        """
        if not (isinstance(n_bins, int) and n_bins >= 1):
            raise ValueError(f"ReliabilityDiagram.n_bins must be an integer >= 1, got {n_bins!r}")
        self.n_bins = n_bins
        self._conf: list[torch.Tensor] = []
        self._correct: list[torch.Tensor] = []

    @override
    def on_validation_epoch_start(self, trainer, pl_module) -> None:
        self._conf, self._correct = [], []

    @override
    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0) -> None:
        if not isinstance(outputs, dict) or "confidence" not in outputs:
            return
        conf = outputs["confidence"].detach().float().cpu()
        ok = torch.isfinite(conf)
        self._conf.append(conf[ok])
        self._correct.append(outputs["correct"].detach().cpu()[ok])

    @override
    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if not self._conf or not isinstance(trainer.logger, TensorBoardLogger) or not trainer.is_global_zero:
            return
        conf, correct = torch.cat(self._conf), torch.cat(self._correct)
        if conf.numel() == 0:
            return
        fig = reliability_figure({"model": (conf, correct)}, self.n_bins)
        trainer.logger.experiment.add_figure("val/reliability", fig, trainer.global_step)
