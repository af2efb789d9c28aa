"""Uncertainty of a group of N sampled answers: clusters, semantic entropy, kernel entropy, stability.

All pure functions. ``emb`` is (N, D) (rows need not be normalised); ``labels`` is (N,) int.

>>> import torch
>>> stability(torch.tensor([0, 0, 0, 0]))
tensor(1.)
>>> stability(torch.tensor([0, 1, 2, 3]))
tensor(0.)
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F

from calibmodule.answers import normalize


def string_clusters(answers: list[str]) -> torch.Tensor:
    """Cluster ids by normalised string equality (empty answers form one cluster). (N,)"""
    ids: dict[str, int] = {}
    return torch.tensor([ids.setdefault(normalize(a), len(ids)) for a in answers], dtype=torch.long)


def embedding_clusters(emb: torch.Tensor, threshold: float = 0.85) -> torch.Tensor:
    """Greedy clustering: each answer joins the first earlier cluster whose *representative*
    (first member) has cosine similarity >= threshold, else starts a new one. (N, D) -> (N,)"""
    e = F.normalize(emb.float(), dim=-1)
    sim = e @ e.T  # (N, N)
    labels = torch.full((e.shape[0],), -1, dtype=torch.long)
    reps: list[int] = []
    for i in range(e.shape[0]):
        for k, r in enumerate(reps):
            if sim[i, r] >= threshold:
                labels[i] = k
                break
        else:
            labels[i] = len(reps)
            reps.append(i)
    return labels


def cluster_entropy(labels: torch.Tensor) -> torch.Tensor:
    """Discrete semantic entropy H(cluster frequencies) in nats. (N,) -> ()"""
    p = torch.bincount(labels).float()
    p = p[p > 0] / labels.numel()
    return -(p * p.log()).sum()


def stability(labels: torch.Tensor) -> torch.Tensor:
    """1 - H(clusters)/log N in [0, 1]: 1 when all N answers agree, 0 when all differ. (N,) -> ()"""
    n = labels.numel()
    if n < 2:
        return torch.tensor(1.0)
    return (1.0 - cluster_entropy(labels) / math.log(n)).clamp(0.0, 1.0)


def kernel_entropy(emb: torch.Tensor) -> torch.Tensor:
    """Von Neumann entropy of the trace-normalised cosine kernel, divided by log N -> [0, 1].

    K = E Eᵀ / N with unit rows (PSD, trace 1). Identical answers: one eigenvalue 1 -> 0;
    mutually orthogonal answers: N eigenvalues 1/N -> 1. Negative similarities are kept (the
    kernel stays PSD). (N, D) -> ()
    """
    n = emb.shape[0]
    if n < 2:
        return torch.tensor(0.0)
    e = F.normalize(emb.double(), dim=-1)
    eig = torch.linalg.eigvalsh(e @ e.T / n).clamp(min=0)
    eig = eig[eig > 1e-12]
    eig = eig / eig.sum()
    return (-(eig * eig.log()).sum() / math.log(n)).float()


def pearson(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Pearson correlation; 0 when either side is constant. (K,), (K,) -> ()"""
    x, y = x.double() - x.double().mean(), y.double() - y.double().mean()
    den = (x.norm() * y.norm())
    return (x @ y / den).float() if den > 0 else torch.tensor(0.0)
