"""Calibration rewards: pure functions of tensors, and the table of named reward terms.

Shapes: (R,) over rollouts. ``confidence`` may hold NaN for rollouts whose confidence could not be
parsed (tags mode); every term that reads it gives those rollouts ``format_penalty`` instead, so NaN
never reaches a gradient. Signals (correctness, stability, calibrated target, ...) are floats in [0, 1].

A reward term is an entry of :data:`TERMS`: a name, the signal it reads, and a function
``(confidence (R,), signal (R,)) -> (R,)``; the reward is Σ weight·term with the weights of the
``reward:`` table of the config. Signals bring their own terms (``calibmodule.signals``).

>>> import torch
>>> c, y = torch.tensor([0.9, 0.2]), torch.tensor([1.0, 0.0])
>>> brier(c, y)
tensor([0.9900, 0.9600])
>>> total_reward({"correctness": 1.0, "brier_correct": 1.0}, c, {"correct": y})[0]
tensor([1.9900, 0.9600])
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import torch


def _valid(confidence: torch.Tensor) -> torch.Tensor:
    return torch.isfinite(confidence) & (confidence >= 0) & (confidence <= 1)


def brier(confidence: torch.Tensor, target: torch.Tensor, format_penalty: float = 0.0) -> torch.Tensor:
    """1 - (c - target)^2 in [0, 1]; ``format_penalty`` where c is missing/out of range. (R,)"""
    ok = _valid(confidence)
    c = torch.where(ok, confidence, torch.zeros_like(confidence))
    return torch.where(ok, 1.0 - (c - target) ** 2, torch.full_like(c, format_penalty))


@dataclass(frozen=True)
class Term:
    """A reward term: ``fn(confidence, signal, format_penalty) -> (R,)`` of the signal named ``signal``.

    ``uses_confidence``: whether the stated confidence changes the term (the confidence-digit objective
    evaluates such terms at every digit); ``needs_labels``: it reads the gold answer."""

    signal: str
    fn: Callable[[torch.Tensor, torch.Tensor, float], torch.Tensor]
    uses_confidence: bool = True
    needs_labels: bool = False


def brier_vs(signal: str, needs_labels: bool = False) -> Term:
    """The term 1 - (confidence - signal)^2."""
    return Term(signal, brier, True, needs_labels)


def _value(confidence: torch.Tensor, signal: torch.Tensor, format_penalty: float) -> torch.Tensor:
    return signal.float()


TERMS: dict[str, Term] = {
    "correctness": Term("correct", _value, uses_confidence=False, needs_labels=True),  # RLCR's first half
    "brier_correct": brier_vs("correct", needs_labels=True),  # RLCR's second half; the blog's "Brier"
    "brier_stability": brier_vs("stability"),  # the blog's label-free term
    "brier_target": brier_vs("target"),  # Entropy -> Platt stage 3
}


def check_weights(weights: Mapping[str, float], terms: Mapping[str, Term] = TERMS) -> dict[str, float]:
    """Validate a ``reward:`` table: known names, finite weights >= 0, not all 0. Errors name the entry."""
    out = {}
    for name, w in dict(weights).items():
        if name not in terms:
            raise ValueError(f"reward.{name}: unknown reward term; known terms: {sorted(terms)} "
                             "(a signal class in model.init_args.signals can bring more)")
        w = float(w)
        if not w >= 0 or w == float("inf"):
            raise ValueError(f"reward.{name} must be a finite weight >= 0, got {w}")
        out[name] = w
    if not any(out.values()):
        raise ValueError(f"reward: all weights are 0 in {dict(weights)}; give at least one term a weight > 0")
    return out


def label_free_weights(weights: Mapping[str, float], unlabelled: Mapping[str, float] | None,
                       terms: Mapping[str, Term] = TERMS) -> dict[str, float]:
    """The reward table of unlabelled questions: ``unlabelled`` (validated: no term may need labels) or,
    when None, the label-free terms of ``weights``. May be empty (unlabelled questions then get 0)."""
    if unlabelled is None:
        return {k: w for k, w in weights.items() if w and not terms[k].needs_labels}
    out = {}
    for name, w in dict(unlabelled).items():
        if name not in terms:
            raise ValueError(f"unlabelled_reward.{name}: unknown reward term; known terms: {sorted(terms)}")
        if terms[name].needs_labels:
            raise ValueError(f"unlabelled_reward.{name} needs gold answers, which unlabelled questions do not have")
        w = float(w)
        if not w >= 0 or w == float("inf"):
            raise ValueError(f"unlabelled_reward.{name} must be a finite weight >= 0, got {w}")
        if w:
            out[name] = w
    return out


def total_reward(weights: Mapping[str, float], confidence: torch.Tensor, signals: Mapping[str, torch.Tensor],
                 format_penalty: float = 0.0, terms: Mapping[str, Term] = TERMS
                 ) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """Σ weight·term over the terms with a weight > 0, and each term (for logging). (R,), {name: (R,)}

    ``signals`` maps signal names to (R,) tensors; a term whose signal is missing is an error naming it."""
    values: dict[str, torch.Tensor] = {}
    for name, w in weights.items():
        if not w:
            continue
        term = terms[name]
        if signals.get(term.signal) is None:
            raise ValueError(f"reward.{name} needs the signal {term.signal!r}, which no configured signal provides")
        values[name] = term.fn(confidence, signals[term.signal], format_penalty)
    total = sum(weights[k] * v for k, v in values.items())
    total = torch.nan_to_num(total, nan=format_penalty)  # a NaN signal never reaches the loss
    return total, values


def split_reward(weights: Mapping[str, float], unlabelled: Mapping[str, float], confidence: torch.Tensor,
                 signals: Mapping[str, torch.Tensor], labelled: torch.Tensor | None, format_penalty: float = 0.0,
                 terms: Mapping[str, Term] = TERMS) -> tuple[torch.Tensor, dict[str, torch.Tensor]]:
    """``weights`` on labelled rows, ``unlabelled`` (label-free terms) on the others. (R,) bool or None -> (R,)

    The labelled table's value on an unlabelled row is computed and discarded, never mixed in (its gold
    answer cannot change the result). Logged terms hold only the rows each term applies to.

    >>> c, y, s = torch.tensor([0.9, 0.9]), torch.tensor([0.0, 0.0]), torch.tensor([1.0, 1.0])
    >>> split_reward({"brier_correct": 1.0}, {"brier_stability": 1.0}, c, {"correct": y, "stability": s},
    ...              torch.tensor([True, False]))[0]
    tensor([0.1900, 0.9900])
    """
    full, terms_l = total_reward(weights, confidence, signals, format_penalty, terms)
    if labelled is None:
        return full, terms_l
    free, terms_u = (total_reward(unlabelled, confidence, signals, format_penalty, terms) if unlabelled
                     else (torch.zeros_like(full), {}))
    logged = {k: v[labelled] for k, v in terms_l.items()}
    for k, v in terms_u.items():
        logged[k] = torch.cat([logged[k], v[~labelled]]) if k in logged else v[~labelled]
    return torch.where(labelled, full, free), {k: v for k, v in logged.items() if v.numel()}


def digit_rewards(weights: Mapping[str, float], signals: Mapping[str, torch.Tensor], midpoints: torch.Tensor,
                  format_penalty: float = 0.0, terms: Mapping[str, Term] = TERMS) -> torch.Tensor:
    """The reward each rollout would get had it stated each confidence in ``midpoints``. (R,), (K,) -> (R, K)

    >>> digit_rewards({"brier_correct": 1.0}, {"correct": torch.tensor([1.0, 0.0])}, torch.tensor([0.0, 0.5, 1.0]))
    tensor([[0.0000, 0.7500, 1.0000],
            [1.0000, 0.7500, 0.0000]])
    """
    k = midpoints.numel()
    n = next(iter(signals.values())).numel()
    grid = midpoints.repeat(n)  # (R*K,): rollout-major
    rep = {name: v.repeat_interleave(k) for name, v in signals.items() if v is not None}
    return total_reward(weights, grid, rep, format_penalty, terms)[0].view(n, k)
