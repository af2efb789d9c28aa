"""Policy-gradient pieces: group advantages, clipped surrogate, KL to a reference. Pure functions.

Shapes: R = B·N rollouts (grouped contiguously, N per prompt), C = completion length.

>>> import torch
>>> group_advantages(torch.tensor([1., 0., 1., 1.]), n=2, scale="none")
tensor([ 0.5000, -0.5000,  0.0000,  0.0000])
"""

from __future__ import annotations

from typing import Literal

import torch


def group_advantages(rewards: torch.Tensor, n: int, scale: Literal["group", "none"] = "none",
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


def expected_confidence_loss(digit_logp: torch.Tensor, digit_rewards: torch.Tensor,
                             entropy: float = 0.0) -> torch.Tensor:
    """Exact policy gradient of the confidence action: -(E_{d~p}[R(d) - E_p[R]] + entropy·H(p)), rollout mean.

    The confidence is one action with ten outcomes whose rewards are known in closed form once the
    answer is graded, so the expectation over digits replaces the one sampled digit (no sampling
    variance). digit_logp (R, 10) with grad; digit_rewards (R, 10): the reward had the rollout stated
    each digit -> scalar. The baseline E_p[R] leaves the gradient unchanged (sum of dp is 0).

    ``entropy`` > 0 keeps the softmax from saturating on one digit: without it the first digit the
    policy settles on gets p ~ 1 and the gradient toward a better neighbour, p_j·(R_j - E_p R),
    vanishes (measured: every question ended on digit 1 within 10 steps). The optimum becomes
    p_d ∝ exp(R_d / entropy): for Brier, a discrete bell around the calibrated bin whose argmax is
    that bin and whose mean stays within ~0.01 of it for entropy = 0.01.

    >>> logp = torch.log(torch.tensor([[0.5, 0.5]]))
    >>> float(expected_confidence_loss(logp, torch.tensor([[1.0, 0.0]])))
    -0.0
    >>> round(float(expected_confidence_loss(logp, torch.tensor([[1.0, 0.0]]), entropy=1.0)), 4)  # -ln 2
    -0.6931
    """
    p = digit_logp.exp()  # (R, 10)
    baseline = (p.detach() * digit_rewards).sum(-1, keepdim=True)  # (R, 1)
    objective = (p * (digit_rewards - baseline)).sum(-1)  # (R,)
    if entropy:
        objective = objective - entropy * (p * digit_logp).sum(-1)
    return -objective.mean()


def confidence_regression_loss(digit_logp: torch.Tensor, digit_rewards: torch.Tensor, tau: float) -> torch.Tensor:
    """Full-information bandit regression for the confidence digit. (R, 10), (R, 10) -> scalar.

    Once the answer is graded the reward of *every* digit is known, so instead of a policy gradient
    through the softmax (whose push toward a better digit vanishes once p saturates on another one)
    the centred digit log-probs are regressed onto the centred digit rewards / tau:

        loss = mean_{r,d} ((log p_rd - mean_d log p_rd) - (R_rd - mean_d R_rd) / tau)^2

    It is linear in R, so over rollouts the policy cannot tell apart it fits E[R] / tau: the fixed point
    is p = softmax(E[R] / tau), the entropy-regularised optimum (argmax = the Brier-best bin), and the
    gradient never vanishes while p is off it.

    >>> logp = torch.log_softmax(torch.tensor([[0.0, 2.0]]), -1)
    >>> float(confidence_regression_loss(logp, torch.tensor([[0.2, 0.0]]), tau=0.1))  # logits +/-1, targets +/-1
    4.0
    >>> float(confidence_regression_loss(logp, torch.tensor([[0.0, 0.2]]), tau=0.1))
    0.0
    """
    z = digit_logp - digit_logp.mean(-1, keepdim=True)  # (R, 10) centred logits
    t = (digit_rewards - digit_rewards.mean(-1, keepdim=True)) / tau  # (R, 10)
    return ((z - t) ** 2).mean()
