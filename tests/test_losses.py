import math

import torch

from calibmodule.losses import group_advantages, kl_k3, policy_gradient_loss


def test_group_advantages_hand_values():
    r = torch.tensor([1.0, 0.0, 2.0, 2.0])
    assert torch.allclose(group_advantages(r, 2, "none"), torch.tensor([0.5, -0.5, 0.0, 0.0]))
    # group std of [1, 0] is 0.7071 (unbiased): 0.5 / 0.7071 = 0.7071
    a = group_advantages(r, 2, "group", eps=0.0)
    assert torch.allclose(a[:2], torch.tensor([math.sqrt(0.5), -math.sqrt(0.5)]), atol=1e-6)
    assert torch.isfinite(group_advantages(r, 2, "group")).all()  # zero-std group stays finite


def test_policy_gradient_loss_on_policy_value_and_grad():
    logp = torch.tensor([[-1.0, -2.0], [-0.5, 0.0]], requires_grad=True)
    adv = torch.tensor([1.0, -2.0])
    mask = torch.tensor([[1, 1], [1, 0]])
    loss = policy_gradient_loss(logp, logp.detach(), adv, mask)
    # ratio = 1: loss = -(1 + 1 - 2) / 3 = 0
    assert abs(loss.item()) < 1e-7
    loss.backward()
    # d loss / d logp = -A / n_tokens at masked positions
    assert torch.allclose(logp.grad, torch.tensor([[-1 / 3, -1 / 3], [2 / 3, 0.0]]))


def test_policy_gradient_loss_clips():
    old = torch.zeros(1, 1)
    logp = torch.full((1, 1), math.log(2.0))  # ratio 2
    loss = policy_gradient_loss(logp, old, torch.tensor([1.0]), torch.ones(1, 1), clip_eps=0.2)
    assert abs(loss.item() - (-1.2)) < 1e-6  # min(2*1, 1.2*1) = 1.2


def test_kl_k3():
    lp = torch.tensor([[-1.0, -1.0]])
    assert kl_k3(lp, lp, torch.ones(1, 2)).item() == 0.0
    ref = torch.tensor([[-1.0 + math.log(2.0), -1.0]])
    # d = log 2: exp(d) - d - 1 = 1 - log 2, averaged with a 0 token
    assert abs(kl_k3(lp, ref, torch.ones(1, 2)).item() - (1 - math.log(2)) / 2) < 1e-6
