"""Policy-gradient pieces: group advantages, clipped surrogate, KL to a reference. Pure functions.

Shapes: R = B·N rollouts (grouped contiguously, N per prompt), C = completion length.

>>> import torch
>>> group_advantages(torch.tensor([1., 0., 1., 1.]), n=2, scale="none")
tensor([ 0.5000, -0.5000,  0.0000,  0.0000])
"""

from __future__ import annotations

from typing import Literal

import torch


def group_advantages(rewards: torch.Tensor, n: int, scale: Literal["group", "none"] = "group",
                     eps: float = 1e-4) -> torch.Tensor:
    """GRPO advantages: reward minus its group mean, optionally divided by the group std. (R,) -> (R,)"""
    g = rewards.view(-1, n)  # (B, N)
    adv = g - g.mean(-1, keepdim=True)
    if scale == "group":
        adv = adv / (g.std(-1, keepdim=True) + eps)
    return adv.reshape(-1)


def policy_gradient_loss(logp: torch.Tensor, old_logp: torch.Tensor, advantages: torch.Tensor,
                         mask: torch.Tensor, clip_eps: float = 0.2) -> torch.Tensor:
    """PPO/GRPO clipped surrogate, averaged over all action tokens of the batch (DAPO "token" mean).

    logp, old_logp, mask: (R, C); advantages: (R,) -> scalar.
    """
    ratio = torch.exp(logp - old_logp)  # (R, C)
    a = advantages[:, None]
    per_token = -torch.minimum(ratio * a, torch.clamp(ratio, 1 - clip_eps, 1 + clip_eps) * a)
    m = mask.float()
    return (per_token * m).sum() / m.sum().clamp(min=1)


def kl_k3(logp: torch.Tensor, ref_logp: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    """Schulman's k3 estimator of KL(policy || ref), token mean. (R, C) -> scalar, >= 0."""
    d = ref_logp - logp
    per_token = torch.exp(d) - d - 1
    m = mask.float()
    return (per_token * m).sum() / m.sum().clamp(min=1)


def expected_confidence_loss(digit_logp: torch.Tensor, digit_rewards: torch.Tensor) -> torch.Tensor:
    """Exact policy gradient of the confidence action: -E_{d~p}[R(d) - E_p[R]], averaged over rollouts.

    The confidence is one action with ten outcomes whose rewards are known in closed form once the
    answer is graded, so the expectation over digits replaces the one sampled digit (no sampling
    variance). digit_logp (R, 10) with grad; digit_rewards (R, 10): the reward had the rollout stated
    each digit -> scalar. The baseline E_p[R] leaves the gradient unchanged (sum of dp is 0).

    >>> logp = torch.log(torch.tensor([[0.5, 0.5]]))
    >>> float(expected_confidence_loss(logp, torch.tensor([[1.0, 0.0]])))
    -0.0
    """
    p = digit_logp.exp()  # (R, 10)
    baseline = (p.detach() * digit_rewards).sum(-1, keepdim=True)  # (R, 1)
    return -(p * (digit_rewards - baseline)).sum(-1).mean()
