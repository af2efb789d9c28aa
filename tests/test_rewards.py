import math

import pytest
import torch

from calibmodule.rewards import RewardConfig, brier, brier_mix, platt_target, rlcr, total_reward


def test_brier_hand_values():
    c = torch.tensor([0.9, 0.2, 0.5, 1.0])
    y = torch.tensor([1.0, 0.0, 1.0, 0.0])
    assert torch.allclose(brier(c, y), torch.tensor([0.99, 0.96, 0.75, 0.0]))


def test_rlcr_is_correctness_plus_brier():
    c = torch.tensor([0.9, 0.9, 0.1])
    y = torch.tensor([1.0, 0.0, 0.0])
    assert torch.allclose(rlcr(c, y), torch.tensor([1.99, 0.19, 0.99]))


def test_missing_confidence_gets_format_penalty():
    c = torch.tensor([float("nan"), 1.5, -0.1, 0.5])
    y = torch.tensor([1.0, 1.0, 0.0, 0.0])
    r = brier(c, y, format_penalty=-1.0)
    assert r.tolist() == [-1.0, -1.0, -1.0, 0.75]
    assert torch.isfinite(rlcr(c, y, format_penalty=-1.0)).all()


def test_brier_mix_weights():
    c, y, s = torch.tensor([0.8]), torch.tensor([1.0]), torch.tensor([0.4])
    # vs correctness: 1-0.04=0.96; vs stability: 1-0.16=0.84
    assert brier_mix(c, y, s, 0.0).item() == pytest.approx(0.96)
    assert brier_mix(c, y, s, 0.5).item() == pytest.approx(0.90)
    assert brier_mix(c, y, s, 1.0).item() == pytest.approx(0.84)


def test_platt_target():
    assert platt_target(torch.tensor([0.3]), torch.tensor([0.35])).item() == pytest.approx(1 - 0.0025)


def test_total_reward_rlcr_and_terms():
    cfg = RewardConfig(correctness=1.0, brier_correct=1.0)
    total, terms = total_reward(cfg, torch.tensor([0.9, 0.9]), torch.tensor([1.0, 0.0]))
    assert torch.allclose(total, torch.tensor([1.99, 0.19]))
    assert set(terms) == {"correctness", "brier_correct"}


def test_total_reward_stability_needs_stability():
    with pytest.raises(ValueError, match="StabilityCallback"):
        total_reward(RewardConfig(brier_stability=1.0), torch.tensor([0.5]), torch.tensor([1.0]))


def test_total_reward_target_weighting():
    cfg = RewardConfig(correctness=0.0, brier_correct=0.0, brier_target=2.0)
    total, _ = total_reward(cfg, torch.tensor([0.5]), torch.tensor([1.0]), target=torch.tensor([0.25]))
    assert total.item() == pytest.approx(2 * (1 - 0.0625))


def test_total_reward_never_nan():
    cfg = RewardConfig(correctness=1.0, brier_correct=1.0, brier_target=1.0, format_penalty=-0.5)
    total, _ = total_reward(cfg, torch.tensor([float("nan")]), torch.tensor([1.0]), target=torch.tensor([float("nan")]))
    assert math.isfinite(total.item())


@pytest.mark.parametrize("kwargs,msg", [
    ({"correctness": -1.0}, "correctness"),
    ({"correctness": 0.0, "brier_correct": 0.0}, "all weights are 0"),
])
def test_reward_config_errors(kwargs, msg):
    with pytest.raises(ValueError, match=msg):
        RewardConfig(**kwargs)
