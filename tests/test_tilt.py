"""The post-hoc level correction (``calibmodule.tilt``, ``model.calibration_tilt``, ``data.calibration_size``):
the tilt by hand, its fit, the held-out split, and a fit that ends with the head's bias tilted, logged and saved."""

import math

import lightning as L
import pytest
import torch

from calibmodule.evaluation import MIDPOINTS
from calibmodule.rl import RLCalibrationModule
from calibmodule.tilt import calibrate_level, expected, fit_tilt, head_bias_shift, tilt
from datamodules.qa import QADataModule


def test_tilt_by_hand():
    # uniform over 10 digits tilted by beta = 10 ln 2: weights 2^(10 m_d) = 2^(d + 0.5), normalised
    p = torch.full((1, 10), 0.1)
    w = torch.tensor([2.0 ** (d + 0.5) for d in range(10)])
    assert torch.allclose(tilt(p, 10 * math.log(2)), (w / w.sum())[None], atol=1e-6)
    assert torch.allclose(tilt(p, 0.0), p)
    # a one-hot distribution stays one-hot: a tilt moves mass between digits it already has
    one = torch.zeros(1, 10)
    one[0, 3] = 1.0
    assert torch.allclose(tilt(one, -20.0), one)


def test_fit_matches_the_accuracy_when_every_row_states_the_same():
    """With identical rows the cross-entropy is least where the stated mean equals the accuracy: 2 of 5 right."""
    p = torch.full((5, 10), 0.1)
    y = torch.tensor([1.0, 0, 0, 0, 1])
    beta = fit_tilt(p, y)
    assert float(expected(tilt(p, beta)).mean()) == pytest.approx(0.4, abs=1e-4)
    assert beta < 0  # uniform states 0.5: tilted down
    assert fit_tilt(p, torch.tensor([])) == 0.0


def test_bias_shift_is_the_tilt_in_logit_space():
    z, T, beta = torch.randn(4, 10), 0.2, -7.5
    via_bias = torch.softmax((z + head_bias_shift(beta, T)) / T, -1)
    assert torch.allclose(via_bias, tilt(torch.softmax(z / T, -1), beta), atol=1e-5)


def test_calibration_split_is_held_out_of_training():
    full = QADataModule(templates=["capital", "continent"], seed=0)
    full.setup("fit")
    dm = QADataModule(templates=["capital", "continent"], seed=0, calibration_size=25, max_train=40)
    dm.setup("fit")
    held, train = dm.splits["calibration"], dm.splits["train"]
    assert 25 <= len(held) <= 27 and len(train) == 40  # whole countries (up to 3 questions each); max_train caps the rest
    assert not {r["id"] for r in held} & {r["id"] for r in train}
    assert not {r["country"] for r in held} & {r["country"] for r in full.splits["train"] if r not in held}
    assert {r["id"] for r in held} <= {r["id"] for r in full.splits["train"]}  # training questions, never trained on
    assert dm.splits["val"] == full.splits["val"] and dm.splits["test"] == full.splits["test"]
    assert sum(len(b["question"]) for b in dm.calibration_dataloader()) == len(held)
    assert full.calibration_dataloader() is None


def test_calibration_rows_are_whole_groups_and_rows_without_one_stand_alone():
    import random

    from datamodules.qa import _held_out

    rows = [{"group": g} for g in "aaabbc"] + [{"group": None}, {}]
    for seed in range(20):
        held = _held_out(rows, 3, random.Random(seed))
        assert len(held) >= 3
        for g in "abc":  # a group is in or out, whole
            assert len({i for i, r in enumerate(rows) if r.get("group") == g} & held) in (0, sum(r.get("group") == g for r in rows))
    assert _held_out(rows, 8, random.Random(0)) == set(range(8))
    assert len(_held_out([{"group": None}] * 5, 2, random.Random(0))) == 2  # no groups: single rows


def test_bad_calibration_settings_are_named(tiny_model_dir, tmp_path):
    with pytest.raises(ValueError, match=r"data\.calibration_size must be >= 0, got -1"):
        QADataModule(calibration_size=-1)
    with pytest.raises(ValueError, match=r"data\.calibration_size=5000 leaves no training questions"):
        QADataModule(templates=["capital"], calibration_size=5000).setup("fit")
    with pytest.raises(ValueError, match=r"model\.calibration_tilt needs confidence_mode: constrained"):
        RLCalibrationModule(model=tiny_model_dir, confidence_mode="tags", calibration_tilt=True)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, calibration_tilt=True)
    t = L.Trainer(accelerator="cpu", max_steps=1, logger=False, enable_progress_bar=False, enable_model_summary=False,
                  enable_checkpointing=False, limit_val_batches=0, default_root_dir=tmp_path)
    with pytest.raises(ValueError, match=r"model\.calibration_tilt needs held-out calibration questions: set "
                                         r"data\.init_args\.calibration_size"):
        t.fit(m, QADataModule(templates=["capital"], max_train=4, batch_size=2))


def test_fit_ends_with_the_fitted_tilt_in_the_head_and_the_checkpoint(tiny_model_dir, tmp_path, monkeypatch):
    import calibmodule.rl as rl

    seen = {}

    def spy(module, loader):  # the real pass, with the head's bias read just before and after it
        seen["before"] = module.conf_head.proj.bias.detach().clone()
        seen["step"] = module.global_step
        out = calibrate_level(module, loader)
        seen["after"] = module.conf_head.proj.bias.detach().clone()
        return out

    monkeypatch.setattr(rl, "calibrate_level", spy)
    L.seed_everything(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, eval_max_answer_tokens=3,
                            confidence_head_final_steps=5, calibration_tilt=True)
    dm = QADataModule(templates=["capital"], max_train=4, batch_size=2, eval_batch_size=4, calibration_size=6)
    t = L.Trainer(accelerator="cpu", max_steps=2, logger=False, enable_progress_bar=False, enable_model_summary=False,
                  limit_val_batches=0, default_root_dir=tmp_path)
    t.fit(m, dm)
    info = m._tilt
    assert seen["step"] == 1  # once, after the last (second) optimizer step
    assert info["questions"] == 6 and -60 <= info["beta"] <= 60
    # the fitted tilt moves the mean stated confidence on the held-out answers toward their accuracy
    assert abs(info["confidence_after"] - info["accuracy"]) <= abs(info["confidence_before"] - info["accuracy"]) + 1e-6
    # folded into the head's bias: + beta * T * m, nothing else
    T = m.sampler.conf_temperature
    assert torch.allclose(seen["after"] - seen["before"], info["beta"] * T * MIDPOINTS, atol=1e-6)
    assert t.callback_metrics["calibration/beta"] == pytest.approx(info["beta"])
    ckpt = torch.load(next(tmp_path.rglob("*.ckpt")), weights_only=False)  # the last checkpoint holds the tilted head
    assert ckpt["calibration_tilt"]["beta"] == pytest.approx(info["beta"])
    assert torch.allclose(ckpt["state_dict"]["conf_head.proj.bias"], seen["after"])
