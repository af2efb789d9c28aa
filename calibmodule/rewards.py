"""Calibration rewards: pure functions of tensors. Shapes: (R,) over rollouts unless noted.

``confidence`` may hold NaN for rollouts whose confidence could not be parsed (tags mode); every
reward that reads it gives those rollouts ``format_penalty`` instead, so NaN never reaches a
gradient. Correctness/stability/targets are floats in [0, 1].

>>> import torch
>>> c, y = torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0])
>>> brier(c, y)
tensor([0.9900, 0.9600])
>>> rlcr(c, y)
tensor([1.9900, 0.9600])
"""

from __future__ import annotations

from dataclasses import dataclass

import torch


def _valid(confidence: torch.Tensor) -> torch.Tensor:
    return torch.isfinite(confidence) & (confidence >= 0) & (confidence <= 1)


def brier(confidence: torch.Tensor, target: torch.Tensor, format_penalty: float = 0.0) -> torch.Tensor:
    """1 - (c - target)^2 in [0, 1]; ``format_penalty`` where c is missing/out of range. (R,)"""
    ok = _valid(confidence)
    c = torch.where(ok, confidence, torch.zeros_like(confidence))
    return torch.where(ok, 1.0 - (c - target) ** 2, torch.full_like(c, format_penalty))


def correctness(correct: torch.Tensor) -> torch.Tensor:
    """Binary correctness reward (exact/alias match already decided). (R,)"""
    return correct.float()


def rlcr(confidence: torch.Tensor, correct: torch.Tensor, format_penalty: float = 0.0) -> torch.Tensor:
    """RLCR (Damani et al.): correctness + (1 - (c - correct)^2). In [0, 2]. (R,)"""
    return correctness(correct) + brier(confidence, correct.float(), format_penalty)


def brier_mix(confidence: torch.Tensor, correct: torch.Tensor, stability: torch.Tensor,
              stability_weight: float, format_penalty: float = 0.0) -> torch.Tensor:
    """(1-w)·Brier vs correctness + w·Brier vs stability (the blog's mix; w=0, 0.5, 1). (R,)"""
    w = stability_weight
    vs_correct = brier(confidence, correct.float(), format_penalty)
    if w == 0:
        return vs_correct
    return (1 - w) * vs_correct + w * brier(confidence, stability, format_penalty)


def platt_target(confidence: torch.Tensor, target: torch.Tensor, format_penalty: float = 0.0) -> torch.Tensor:
    """Brier vs a per-question calibrated target (Entropy→Platt stage 3). (R,)"""
    return brier(confidence, target, format_penalty)


@dataclass
class RewardConfig:
    """Weights of the reward terms; total = Σ weight·term. Each term is in [0, 1].

    Attributes:
        correctness: weight of the binary correctness term.
        brier_correct: weight of 1-(c - correct)^2.
        brier_stability: weight of 1-(c - stability)^2 (needs the StabilityCallback).
        brier_target: weight of 1-(c - calibrated target)^2 (needs per-question targets).
        format_penalty: value of each Brier term when the confidence is missing/unparseable.
    """

    correctness: float = 1.0
    brier_correct: float = 1.0
    brier_stability: float = 0.0
    brier_target: float = 0.0
    format_penalty: float = 0.0

    def __post_init__(self) -> None:
        for k in ("correctness", "brier_correct", "brier_stability", "brier_target"):
            if getattr(self, k) < 0:
                raise ValueError(f"reward.{k} must be >= 0, got {getattr(self, k)}")
        if self.correctness + self.brier_correct + self.brier_stability + self.brier_target == 0:
            raise ValueError("reward: all weights are 0; set at least one of correctness/brier_*")


def total_reward(cfg: RewardConfig, confidence: torch.Tensor, correct: torch.Tensor,
                 stability: torch.Tensor | None = None, target: torch.Tensor | None = None
                 ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Weighted sum of the configured terms, and each term (for logging). (R,), {name: (R,)}"""
    y = correct.float()
    terms: dict[str, torch.Tensor] = {}
    if cfg.correctness:
        terms["correctness"] = correctness(y)
    if cfg.brier_correct:
        terms["brier_correct"] = brier(confidence, y, cfg.format_penalty)
    if cfg.brier_stability:
        if stability is None:
            raise ValueError("reward.brier_stability > 0 needs stability: add callbacks.StabilityCallback")
        terms["brier_stability"] = brier(confidence, stability, cfg.format_penalty)
    if cfg.brier_target:
        if target is None:
            raise ValueError("reward.brier_target > 0 needs per-question targets (entropy->Platt stage)")
        terms["brier_target"] = platt_target(confidence, target, cfg.format_penalty)
    total = sum(getattr(cfg, k) * v for k, v in terms.items())
    total = torch.nan_to_num(total, nan=cfg.format_penalty)  # a NaN input never reaches the loss
    return total, terms
