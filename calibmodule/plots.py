"""Matplotlib figures for calibration: reliability diagram + confidence histogram, risk-coverage.

Built as ``matplotlib.figure.Figure`` objects, not through ``pyplot``: pyplot keeps every figure it makes until it is
closed, so a sweep testing run after run in one process held two more figures per report (matplotlib's "More than 20
figures" warning). A ``Figure`` is freed with its last reference and needs no GUI backend."""

from __future__ import annotations

import torch
from matplotlib.figure import Figure


def reliability_bins(conf: torch.Tensor, correct: torch.Tensor, n_bins: int = 10):
    """Per-bin (mean confidence, accuracy, count) over equal-width bins. (K,), (K,) -> 3 x (n_bins,)"""
    idx = torch.clamp((conf * n_bins).long(), max=n_bins - 1)
    count = torch.bincount(idx, minlength=n_bins).float()
    mean_conf = torch.bincount(idx, conf.float(), minlength=n_bins) / count.clamp(min=1)
    acc = torch.bincount(idx, correct.float(), minlength=n_bins) / count.clamp(min=1)
    return mean_conf, acc, count


def risk_coverage(conf: torch.Tensor, correct: torch.Tensor):
    """Answer only the most confident fraction: coverage (K,), risk = error rate among answered (K,)."""
    order = torch.argsort(conf, descending=True, stable=True)
    wrong = 1 - correct.float()[order]
    k = torch.arange(1, len(order) + 1, dtype=torch.float32)
    return k / len(order), wrong.cumsum(0) / k


def reliability_figure(series: dict[str, tuple[torch.Tensor, torch.Tensor]], n_bins: int = 10):
    """Reliability diagram (top) and confidence histogram (bottom) for one or more models."""
    fig = Figure(figsize=(5, 6))
    ax, hx = fig.subplots(2, 1, height_ratios=[3, 1], sharex=True)
    ax.plot([0, 1], [0, 1], "k--", lw=1, label="perfect")
    edges = torch.linspace(0, 1, n_bins + 1)
    for name, (conf, correct) in series.items():
        mc, acc, cnt = reliability_bins(conf, correct, n_bins)
        keep = cnt > 0
        ax.plot(mc[keep], acc[keep], "o-", label=name)
        hx.hist(conf.numpy(), bins=edges.numpy(), alpha=0.5, label=name)
    ax.set_ylabel("accuracy")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper left", fontsize=8)
    ax.set_title("reliability")
    hx.set_xlabel("stated confidence")
    hx.set_ylabel("count")
    fig.tight_layout()
    return fig


def risk_coverage_figure(series: dict[str, tuple[torch.Tensor, torch.Tensor]]):
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    for name, (conf, correct) in series.items():
        cov, risk = risk_coverage(conf, correct)
        ax.plot(cov.numpy(), risk.numpy(), label=name)
    ax.set_xlabel("coverage (share answered, most confident first)")
    ax.set_ylabel("risk (error rate)")
    ax.set_ylim(0, 1)
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig
