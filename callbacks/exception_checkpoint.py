"""CheckpointOnException: if fit dies (Ctrl-C, OOM, a bug; not a divergence), save the current state as
``on_exception.ckpt`` next to ``last.ckpt`` in *this run's* checkpoint folder, so
``fit --ckpt_path last`` can continue it. Unlike Lightning's OnExceptionCheckpoint, its presence
never makes a fresh ``fit`` resume from an old file."""

from __future__ import annotations

from pathlib import Path

import lightning as L
from typing_extensions import override

FILENAME = "on_exception.ckpt"


def checkpoint_dir(trainer: L.Trainer) -> Path:
    cb = trainer.checkpoint_callback
    if cb is not None and getattr(cb, "dirpath", None):
        return Path(cb.dirpath)
    return Path(trainer.log_dir or trainer.default_root_dir) / "checkpoints"


class CheckpointOnException(L.Callback):
    @override
    def on_exception(self, trainer: L.Trainer, pl_module: L.LightningModule, exception: BaseException) -> None:
        if trainer.state.fn != "fit" or trainer.global_step == 0:
            return  # nothing trained yet: nothing to lose
        if getattr(exception, "diverged", False):  # calibmodule.divergence.TrainingDiverged: the weights are NaN,
            return  # and ``fit --ckpt_path last`` must resume from the last good checkpoint, not from these
        path = checkpoint_dir(trainer) / FILENAME
        path.parent.mkdir(parents=True, exist_ok=True)
        trainer.save_checkpoint(path)
