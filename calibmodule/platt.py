"""Platt scaling: p = sigmoid(x·w + b), fitted by L-BFGS on the logistic loss (+ tiny L2 on w).

Features are standardised inside the fit so one regularisation strength suits any score scale.

>>> import torch
>>> x = torch.tensor([[0.0], [0.0], [1.0], [1.0]]); y = torch.tensor([1.0, 1.0, 0.0, 1.0])
>>> p = fit_platt(x, y, l2=0.0).predict(x)
>>> [round(v, 2) for v in p.tolist()]
[1.0, 1.0, 0.5, 0.5]
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch


@dataclass
class PlattModel:
    weight: list[float]  # (D,) on standardised features
    bias: float
    mean: list[float]  # (D,) feature standardisation
    std: list[float]

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        """(K, D) -> (K,)"""
        x = (x.double() - torch.tensor(self.mean, dtype=torch.float64)) / torch.tensor(self.std, dtype=torch.float64)
        return x @ torch.tensor(self.weight, dtype=torch.float64) + self.bias

    def predict(self, x: torch.Tensor) -> torch.Tensor:
        """Calibrated probability, (K, D) -> (K,) float32."""
        return torch.sigmoid(self.logits(x)).float()

    def to_dict(self) -> dict:
        return asdict(self)


def fit_platt(x: torch.Tensor, y: torch.Tensor, l2: float = 1e-3, max_iter: int = 200) -> PlattModel:
    """Logistic regression of labels y (K,) in {0, 1} on features x (K, D)."""
    if x.ndim != 2 or x.shape[0] != y.shape[0] or x.shape[0] == 0:
        raise ValueError(f"fit_platt needs x (K, D) and y (K,) with K > 0, got {tuple(x.shape)} and {tuple(y.shape)}")
    x, y = x.double(), y.double()
    mean, std = x.mean(0), x.std(0, unbiased=False).clamp(min=1e-6)
    z = (x - mean) / std
    w = torch.zeros(x.shape[1], dtype=torch.float64, requires_grad=True)
    prior = y.mean().clamp(1e-3, 1 - 1e-3)
    b = torch.log(prior / (1 - prior)).clone().requires_grad_(True)
    opt = torch.optim.LBFGS([w, b], max_iter=max_iter, line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = torch.nn.functional.binary_cross_entropy_with_logits(z @ w + b, y) + l2 * (w**2).sum()
        loss.backward()
        return loss

    opt.step(closure)
    return PlattModel(w.detach().tolist(), float(b.detach()), mean.tolist(), std.tolist())
