"""Whole-set calibration statistics for reports: pure functions of (confidence, correct) tensors.

The torchmetrics in this package stream over batches and ranks; these take the gathered vectors and
add what a single number hides: a bootstrap interval, AUROC *within* each question kind (a
confidence that only tells easy templates from hard ones scores a high pooled AUROC but ~0.5 here),
and the ECE that a *perfectly calibrated* model stating the same confidences would score on a set this
size (binned ECE is biased upward on finite sets: on 400 questions with spread confidences it is about
0.05 for a perfect model), with the share of such draws at least as far off as the observed labels.

>>> import torch
>>> conf, y = torch.tensor([0.9, 0.8, 0.3, 0.2]), torch.tensor([1, 1, 0, 0])
>>> float(auroc(conf, y)), round(float(ece(conf, y)), 4)
(1.0, 0.2)
>>> float(within_group_auroc(conf, y, ["a", "b", "a", "b"], min_each=1))
1.0
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import torch


def ece(conf: torch.Tensor, correct: torch.Tensor, n_bins: int = 10) -> torch.Tensor:
    """L1 expected calibration error over equal-width bins (as torchmetrics' BinaryCalibrationError). (K,) -> ()"""
    conf, y = conf.double(), correct.double()
    idx = torch.clamp((conf * n_bins).long(), max=n_bins - 1)
    count = torch.bincount(idx, minlength=n_bins).double()
    gap = torch.bincount(idx, conf - y, minlength=n_bins).abs()
    return (gap.sum() / count.sum().clamp(min=1)).float()


def auroc(conf: torch.Tensor, correct: torch.Tensor) -> torch.Tensor:
    """P(conf of a right answer > conf of a wrong one), ties count 1/2; NaN if one class is missing. (K,) -> ()"""
    y = correct.bool()
    pos, neg = conf[y].double(), conf[~y].double()
    if pos.numel() == 0 or neg.numel() == 0:
        return torch.tensor(float("nan"))
    ranks = _average_ranks(torch.cat([pos, neg]))
    u = ranks[: pos.numel()].sum() - pos.numel() * (pos.numel() + 1) / 2
    return (u / (pos.numel() * neg.numel())).float()


def _average_ranks(x: torch.Tensor) -> torch.Tensor:
    """1-based ranks with ties given their average rank. (K,) -> (K,)"""
    order = torch.argsort(x, stable=True)
    sorted_x = x[order]
    ranks = torch.empty_like(x)
    ranks[order] = torch.arange(1, len(x) + 1, dtype=x.dtype)
    _, inverse, counts = torch.unique_consecutive(sorted_x, return_inverse=True, return_counts=True)
    ends = counts.cumsum(0).double()
    mean_rank = ends - (counts.double() - 1) / 2  # average of the tied block's ranks
    ranks[order] = mean_rank[inverse].to(x.dtype)
    return ranks


def within_group_auroc(conf: torch.Tensor, correct: torch.Tensor, groups: Sequence, min_each: int = 3) -> torch.Tensor:
    """Mean AUROC over groups (e.g. templates) with at least ``min_each`` right and wrong answers;
    NaN when no group qualifies. (K,), (K,), K labels -> ()"""
    values = []
    for g in sorted(set(groups), key=str):
        m = torch.tensor([x == g for x in groups])
        y = correct[m]
        if int(y.sum()) >= min_each and int((1 - y).sum()) >= min_each:
            values.append(auroc(conf[m], y))
    return torch.stack(values).mean() if values else torch.tensor(float("nan"))


def bootstrap_ci(stat: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], conf: torch.Tensor,
                 correct: torch.Tensor, n: int = 1000, level: float = 0.95, seed: int = 0,
                 groups: list | None = None) -> tuple[float, float]:
    """Percentile bootstrap interval of ``stat(conf, correct)`` over resampled questions. (K,), (K,) -> (lo, hi)

    With ``groups`` (K labels; None = a question of its own) whole groups are resampled, a cluster
    bootstrap: questions about one country answer alike, so resampling them one by one understates the
    spread. A label per question gives the question-level interval exactly."""
    g = torch.Generator().manual_seed(seed)
    k = conf.numel()
    if groups is None:
        draws = torch.randint(0, k, (n, k), generator=g)
        vals = torch.stack([stat(conf[i], correct[i]) for i in draws])
    else:
        ids: dict = {}
        label = [ids.setdefault(x if x is not None else ("question", i), len(ids)) for i, x in enumerate(groups)]
        members = [[] for _ in ids]
        for i, j in enumerate(label):
            members[j].append(i)
        members = [torch.tensor(m) for m in members]
        draws = torch.randint(0, len(members), (n, len(members)), generator=g)
        vals = torch.stack([stat(conf[i], correct[i]) for i in (torch.cat([members[j] for j in d.tolist()]) for d in draws)])
    vals = vals[torch.isfinite(vals)]
    if vals.numel() == 0:
        return float("nan"), float("nan")
    lo, hi = torch.quantile(vals.double(), torch.tensor([(1 - level) / 2, (1 + level) / 2], dtype=torch.float64))
    return float(lo), float(hi)


def calibrated_ece(conf: torch.Tensor, correct: torch.Tensor | None = None, n: int = 1000, seed: int = 0,
                   n_bins: int = 10) -> dict[str, float]:
    """ECE of a perfectly calibrated model with these confidences, by consistency resampling: draw
    y* ~ Bernoulli(conf) ``n`` times and score each draw. (K,), (K,) -> {"mean", "q95"[, "p"]}

    ``mean`` is the ECE a calibrated model is expected to show on this many questions (the estimator's
    floor), ``q95`` its 95th percentile; with ``correct``, ``p`` is the share of draws whose ECE is at
    least the observed one (small p: the labels are unlikely under calibration).

    >>> r = calibrated_ece(torch.tensor([0.0, 1.0, 1.0]), torch.tensor([0, 1, 1]))
    >>> r["mean"], r["q95"], r["p"]
    (0.0, 0.0, 1.0)
    """
    c = conf.double().clamp(0, 1)
    g = torch.Generator().manual_seed(seed)
    draws = (torch.rand(n, c.numel(), generator=g, dtype=torch.float64) < c).long()  # (n, K)
    vals = torch.stack([ece(c, d, n_bins) for d in draws]).double()
    out = {"mean": float(vals.mean()), "q95": float(torch.quantile(vals, 0.95))}
    if correct is not None:
        out["p"] = float((vals >= float(ece(c, correct, n_bins)) - 1e-12).double().mean())
    return out
