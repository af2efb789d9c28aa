import math

import pytest
import torch

from calibmodule.rewards import TERMS, brier, brier_vs, check_weights, digit_rewards, total_reward
from calibmodule.signals import Signal, resolve


def test_brier_hand_values():
    c = torch.tensor([0.9, 0.2, 0.5, 1.0])
    y = torch.tensor([1.0, 0.0, 1.0, 0.0])
    assert torch.allclose(brier(c, y), torch.tensor([0.99, 0.96, 0.75, 0.0]))


def test_rlcr_is_correctness_plus_brier():
    c = torch.tensor([0.9, 0.9, 0.1])
    total, terms = total_reward({"correctness": 1.0, "brier_correct": 1.0}, c, {"correct": torch.tensor([1.0, 0, 0])})
    assert torch.allclose(total, torch.tensor([1.99, 0.19, 0.99]))
    assert set(terms) == {"correctness", "brier_correct"}


def test_missing_confidence_gets_format_penalty():
    c = torch.tensor([float("nan"), 1.5, -0.1, 0.5])
    y = torch.tensor([1.0, 1.0, 0.0, 0.0])
    assert brier(c, y, format_penalty=-1.0).tolist() == [-1.0, -1.0, -1.0, 0.75]
    total, _ = total_reward({"correctness": 1.0, "brier_correct": 1.0}, c, {"correct": y}, format_penalty=-1.0)
    assert total.tolist() == [0.0, 0.0, -1.0, 0.75]


def test_blog_mix_weights():
    c, y, s = torch.tensor([0.8]), torch.tensor([1.0]), torch.tensor([0.4])
    sig = {"correct": y, "stability": s}
    # vs correctness: 1-0.04=0.96; vs stability: 1-0.16=0.84
    for w, want in ((0.0, 0.96), (0.5, 0.90), (1.0, 0.84)):
        weights = {"brier_correct": 1 - w, "brier_stability": w}
        assert total_reward(weights, c, sig)[0].item() == pytest.approx(want)


def test_target_term_weighting():
    total, _ = total_reward({"brier_target": 2.0}, torch.tensor([0.5]), {"target": torch.tensor([0.25])})
    assert total.item() == pytest.approx(2 * (1 - 0.0625))


def test_zero_weight_terms_are_not_evaluated():
    # brier_stability weight 0: no stability signal needed
    total, terms = total_reward({"brier_correct": 1.0, "brier_stability": 0.0}, torch.tensor([1.0]),
                                {"correct": torch.tensor([1.0])})
    assert set(terms) == {"brier_correct"} and total.item() == 1.0


def test_term_without_its_signal_is_named():
    with pytest.raises(ValueError, match="reward.brier_stability needs the signal 'stability'"):
        total_reward({"brier_stability": 1.0}, torch.tensor([0.5]), {"correct": torch.tensor([1.0])})


def test_total_reward_never_nan():
    weights = {"correctness": 1.0, "brier_correct": 1.0, "brier_target": 1.0}
    total, _ = total_reward(weights, torch.tensor([float("nan")]),
                            {"correct": torch.tensor([1.0]), "target": torch.tensor([float("nan")])}, format_penalty=-0.5)
    assert math.isfinite(total.item())


def test_digit_rewards_evaluate_every_confidence():
    mids = torch.tensor([0.05, 0.95])
    grid = digit_rewards({"correctness": 1.0, "brier_correct": 1.0}, {"correct": torch.tensor([1.0, 0.0])}, mids)
    # right: 1 + (1 - 0.95^2), 1 + (1 - 0.05^2); wrong: 1 - 0.05^2, 1 - 0.95^2
    assert torch.allclose(grid, torch.tensor([[1.0975, 1.9975], [0.9975, 0.0975]]))


@pytest.mark.parametrize("weights,msg", [
    ({"correctness": -1.0}, r"reward\.correctness must be a finite weight >= 0"),
    ({"correctness": 0.0, "brier_correct": 0.0}, "all weights are 0"),
    ({"brier_corect": 1.0}, r"reward\.brier_corect: unknown reward term"),
    ({"correctness": float("nan")}, r"reward\.correctness must be a finite weight"),
])
def test_reward_table_errors_name_the_entry(weights, msg):
    with pytest.raises(ValueError, match=msg):
        check_weights(weights)


class _Brevity(Signal):
    name, terms = "brevity", {"brier_brevity": brier_vs("brevity")}

    def __call__(self, rollouts, batch, module, values):
        return torch.tensor([float(len(a.split()) <= 3) for a in rollouts.answers])


def test_a_new_signal_brings_its_term_and_built_ins_fill_in():
    signals, terms = resolve({"brier_brevity": 1.0, "brier_stability": 0.5}, [_Brevity()])
    assert [s.name for s in signals] == ["brevity", "correct", "stability"] or \
        {s.name for s in signals} == {"brevity", "correct", "stability"}
    assert "brier_brevity" in terms and "brier_brevity" not in TERMS
    check_weights({"brier_brevity": 1.0}, terms)
    with pytest.raises(ValueError, match="unknown reward term"):
        check_weights({"brier_brevity": 1.0})  # without the signal the term does not exist


def test_signal_order_follows_requires():
    class Late(Signal):
        name, requires = "late", ("early",)

    class Early(Signal):
        name = "early"

    order, _ = resolve({"correctness": 1.0}, [Late(), Early()])
    names = [s.name for s in order]
    assert names.index("early") < names.index("late")
    with pytest.raises(ValueError, match="requires 'early', which is not configured"):
        resolve({"correctness": 1.0}, [Late()])
