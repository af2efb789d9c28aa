"""PlainProgress: readable progress when stdout is not a terminal (a log file, CI, ``nohup``).

Interactive runs keep Lightning's progress bar and this callback stays silent. Otherwise it prints
one line every ``every_n_steps`` training steps (step, reward, accuracy, confidence, seconds/step)
and one summary line per validation/test (accuracy, ECE, AUROC for each logged read-out), on rank 0.
"""

from __future__ import annotations

import sys
import time

import lightning as L
from typing_extensions import override


def _fmt(metrics: dict, key: str, spec: str = ".3f") -> str | None:
    v = metrics.get(key)
    return None if v is None else format(float(v), spec)


class PlainProgress(L.Callback):
    def __init__(self, every_n_steps: int = 1, force: bool = False) -> None:
        """
        Args:
            every_n_steps: print a training line every this many steps.
            force: print even when stdout is a terminal.
        """
        if every_n_steps < 1:
            raise ValueError(f"PlainProgress.every_n_steps must be >= 1, got {every_n_steps}")
        self.every_n_steps = every_n_steps
        self.force = force
        self._t = 0.0
        self._t_fit = 0.0

    def _on(self, trainer) -> bool:
        return trainer.is_global_zero and (self.force or not sys.stdout.isatty())

    @staticmethod
    def _print(line: str) -> None:
        print(line, flush=True)

    @override
    def on_train_start(self, trainer, pl_module) -> None:
        self._t = self._t_fit = time.perf_counter()

    @override
    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        step = trainer.global_step
        if not self._on(trainer) or step % self.every_n_steps:
            return
        now = time.perf_counter()
        sec, self._t = (now - self._t) / self.every_n_steps, now
        m = trainer.callback_metrics
        parts = [f"step {step}/{trainer.max_steps if trainer.max_steps > 0 else '?'}"]
        for key, name in (("train/reward", "reward"), ("train/acc", "acc"), ("train/conf_mean", "conf"),
                          ("train/loss", "loss")):
            v = _fmt(m, key)
            if v is not None:
                parts.append(f"{name} {v}")
        parts.append(f"{sec:.1f} s/step")
        self._print(" | ".join(parts))

    def _summary(self, trainer, stage: str) -> None:
        if not self._on(trainer) or trainer.sanity_checking:
            return
        m = trainer.callback_metrics
        readouts = sorted({k[len(stage) + 1 : -len("/cal/ECE")] for k in m if k.startswith(f"{stage}/")
                           and k.endswith("/cal/ECE")} | ({""} if f"{stage}/cal/ECE" in m else set()))
        parts = [f"{stage} @ step {trainer.global_step}"]
        acc = _fmt(m, f"{stage}/acc_all") or _fmt(m, f"{stage}/acc")
        if acc is not None:
            parts.append(f"acc {acc}")
        for r in readouts:
            p = f"{stage}/{r}/" if r else f"{stage}/"
            label = f"[{r}] " if r else ""
            parts.append(f"{label}ECE {_fmt(m, p + 'cal/ECE')} AUROC {_fmt(m, p + 'sc/AUROC')}")
        trunc = _fmt(m, f"{stage}/truncated")
        if trunc is not None:
            parts.append(f"truncated {trunc}")
        self._print(" | ".join(parts))

    @override
    def on_validation_end(self, trainer, pl_module) -> None:
        self._summary(trainer, "val")

    @override
    def on_test_end(self, trainer, pl_module) -> None:
        self._summary(trainer, "test")

    @override
    def on_train_end(self, trainer, pl_module) -> None:
        if self._on(trainer):
            self._print(f"fit done: {trainer.global_step} steps in {time.perf_counter() - self._t_fit:.0f} s")
