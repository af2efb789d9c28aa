"""Stop a run at its first non-finite step, before the update, on every process at once.

A learning rate set too high makes the loss NaN a few steps in; Lightning would go on training NaN weights into each
later checkpoint while the log printed ``reward nan``. :func:`stop_if_diverged` raises :class:`TrainingDiverged`
instead, naming the step and the rates to lower; ``callbacks.exception_checkpoint`` then writes no
``on_exception.ckpt`` of the diverged weights, so ``fit --ckpt_path last`` resumes from the last good checkpoint.
"""

from __future__ import annotations

import lightning as L
import torch


class TrainingDiverged(ValueError):
    """The loss or a reward stopped being a finite number: the weights diverged (a learning rate set too high)."""

    diverged = True  # callbacks.exception_checkpoint: no on_exception.ckpt of these weights


def stop_if_diverged(module: L.LightningModule, loss: torch.Tensor, *others: torch.Tensor,
                     rates: tuple[str, ...] = ("lr",)) -> None:
    """Raise :class:`TrainingDiverged` if ``loss`` or any of ``others`` (rewards, scores) holds a NaN or an infinity
    on any process (one all-reduce of a flag under DDP, so every process stops, none waits). ``rates``: the
    ``model.*`` settings the message names with their values."""
    finite = torch.isfinite(loss.detach()).all()
    for t in others:
        finite = finite & torch.isfinite(t.detach()).all()
    bad = not bool(finite)  # one device-to-host read a step
    trainer = module._trainer
    if trainer is not None:
        bad = trainer.strategy.reduce_boolean_decision(bad, all=False)
    if bad:
        named = " or ".join(f"model.{r} ({module.hparams[r]})" for r in rates)
        raise TrainingDiverged(
            f"training diverged at step {module.global_step + 1}: the loss ({float(loss.detach()):.4g}) or another "
            f"value it is made of is not a finite number. Lower {named}; the checkpoints written before this step are "
            f"kept, and none is written of the diverged weights")
