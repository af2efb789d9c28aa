"""StabilityCorrelation: does stability predict correctness better than the stated confidence?

The stability blog's first table (its numbers: r = 0.48 for stability vs r = 0.12 for stated confidence,
150 questions, 8 rollouts). At the end of a validation, for up to ``max_questions`` validation questions
this callback samples ``num_samples`` answers each with the module's training sampler, computes stability
(1 − H(clusters)/log N, the ``Stability`` signal's clustering), and logs the Pearson r of stability and
of the stated confidence (the validation read-out) with the correctness of the greedy answer, with 95%
bootstrap intervals over questions:

    val/corr/stability_r, val/corr/stability_r_low, val/corr/stability_r_high
    val/corr/confidence_r, val/corr/confidence_r_low, val/corr/confidence_r_high

Under DDP every rank samples its own questions; the rows are gathered so every rank logs the same values.
``python -m calibmodule validate --config configs/default.yaml --trainer.callbacks+=callbacks.stability_check.StabilityCorrelation``
"""

from __future__ import annotations

from typing import Literal

import lightning as L
import torch
from typing_extensions import override

from calibmodule.batch import drop_padding, gather
from calibmodule.entropy import pearson
from calibmodule.metrics.functional import bootstrap_ci
from calibmodule.models import autocast_dtype, sampling_weights
from calibmodule.sampling import sample_rollouts
from calibmodule.signals import Stability


class StabilityCorrelation(L.Callback):
    def __init__(self, num_samples: int = 8, max_questions: int = 150, batch_size: int = 10,
                 method: Literal["string", "embedding"] = "string", when: Literal["last", "always"] = "last",
                 n_boot: int = 1000) -> None:
        """
        Args:
            num_samples: answers sampled per question for its stability (>= 2).
            max_questions: validation questions used (the first ones of each rank's share), >= 3.
            batch_size: questions per sampling batch.
            method: answer clustering of the ``Stability`` signal (``string`` or ``embedding``).
            when: ``last``: only at the final validation of a fit and at ``validate``; ``always``: every validation.
            n_boot: bootstrap resamples for the intervals.
        """
        for name, ok in (("num_samples", num_samples >= 2), ("max_questions", max_questions >= 3),
                         ("batch_size", batch_size >= 1), ("n_boot", n_boot >= 10)):
            if not ok:
                raise ValueError(f"StabilityCorrelation.{name} is out of range: {locals()[name]!r}")
        if when not in ("last", "always"):
            raise ValueError(f"StabilityCorrelation.when must be 'last' or 'always', got {when!r}")
        self.num_samples, self.max_questions, self.batch_size = num_samples, max_questions, batch_size
        self.stability = Stability(method=method)
        self.when, self.n_boot = when, n_boot
        self._rows: list[tuple[str, float, float]] = []  # (question, confidence, correct)
        self.result: dict[str, float] = {}

    def _active(self, trainer) -> bool:
        if trainer.sanity_checking:
            return False
        if self.when == "always" or trainer.state.fn != "fit":
            return True
        if trainer.max_steps > 0 and trainer.global_step >= trainer.max_steps:
            return True
        last_epoch = trainer.max_epochs is not None and trainer.max_epochs > 0 and \
            trainer.current_epoch + 1 >= trainer.max_epochs
        return last_epoch and trainer.fit_loop.epoch_loop.batch_progress.is_last_batch

    @override
    def on_validation_epoch_start(self, trainer, pl_module) -> None:
        self._rows = []

    @override
    def on_validation_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0) -> None:
        if not self._active(trainer) or not isinstance(outputs, dict) or "correct" not in outputs:
            return
        batch = drop_padding(batch)  # outputs are of the real rows only
        for q, c, y in zip(batch["question"], outputs["confidence"].tolist(), outputs["correct"].tolist()):
            if len(self._rows) < self.max_questions:
                self._rows.append((q, float(c), float(y)))

    @torch.no_grad()
    def _stabilities(self, pl_module, questions: list[str]) -> list[float]:
        out = []
        was_training = pl_module.policy.training
        pl_module.policy.eval()
        for i in range(0, len(questions), self.batch_size):
            chunk = questions[i : i + self.batch_size]
            with sampling_weights(pl_module.policy, autocast_dtype(pl_module.device),
                                  prepack=getattr(pl_module, "prepack", True)):
                r = sample_rollouts(pl_module.policy, pl_module.tokenizer, pl_module.spec, pl_module.prompts(chunk),
                                    self.num_samples, pl_module.sampler, conf_head=pl_module.conf_head)
            out += self.stability(r, {"question": chunk}, pl_module, {})[:: self.num_samples].tolist()
        pl_module.policy.train(was_training)
        return out

    @override
    def on_validation_epoch_end(self, trainer, pl_module) -> None:
        if not self._active(trainer):
            return
        rows = [(s, c, y) for s, (_, c, y) in zip(self._stabilities(pl_module, [q for q, _, _ in self._rows]),
                                                    self._rows)]
        rows = [r for part in gather(rows) for r in part]  # every rank joins; all get every row
        if len(rows) < 3:
            return
        stab, conf, correct = (torch.tensor(col, dtype=torch.float64) for col in zip(*rows))
        ok = torch.isfinite(conf)
        res = {"n": float(len(rows))}
        for name, x, y in (("stability", stab, correct), ("confidence", conf[ok], correct[ok])):
            res[f"{name}_r"] = float(pearson(x, y))
            res[f"{name}_r_low"], res[f"{name}_r_high"] = bootstrap_ci(pearson, x, y, self.n_boot)
        self.result = res
        pl_module.log_dict({f"val/corr/{k}": v for k, v in res.items()}, rank_zero_only=False, sync_dist=False)
        print(f"stability vs correctness r = {res['stability_r']:.3f} [{res['stability_r_low']:.3f}, "
              f"{res['stability_r_high']:.3f}]; stated confidence vs correctness r = {res['confidence_r']:.3f} "
              f"[{res['confidence_r_low']:.3f}, {res['confidence_r_high']:.3f}] ({len(rows)} questions, "
              f"{self.num_samples} samples each)")
