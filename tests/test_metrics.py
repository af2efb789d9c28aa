import pytest
import torch

from calibmodule.metrics import AnswerAccuracy, BinaryBrierScore, CalibrationGap, calibration_metrics


def test_collection_hand_values():
    m = calibration_metrics(n_bins=10).clone(prefix="val/")
    m.update(torch.tensor([0.9, 0.8, 0.3, 0.1]), torch.tensor([1, 0, 1, 0]))
    out = {k: v.item() for k, v in m.compute().items()}
    assert out["val/acc"] == pytest.approx(0.5)
    assert out["val/cal/Brier"] == pytest.approx((0.01 + 0.64 + 0.49 + 0.01) / 4)
    assert out["val/cal/ECE"] == pytest.approx((0.1 + 0.8 + 0.7 + 0.1) / 4)  # one sample per bin
    assert out["val/cal/gap"] == pytest.approx(0.525 - 0.5)
    assert out["val/sc/AUROC"] == pytest.approx(0.75)  # 3 of 4 (pos, neg) pairs ordered


def test_metrics_accumulate_over_batches():
    b = BinaryBrierScore()
    b.update(torch.tensor([1.0]), torch.tensor([0]))
    b.update(torch.tensor([0.5, 0.5]), torch.tensor([1, 1]))
    assert b.compute().item() == pytest.approx((1 + 0.25 + 0.25) / 3)
    g = CalibrationGap()
    g.update(torch.tensor([0.2, 0.2]), torch.tensor([1, 1]))
    assert g.compute().item() == pytest.approx(-0.8)
    a = AnswerAccuracy()
    a.update(torch.tensor([0.0, 0.0, 0.0]), torch.tensor([1, 0, 1]))
    assert a.compute().item() == pytest.approx(2 / 3)


def test_perfectly_calibrated_ece_zero():
    m = calibration_metrics(n_bins=2)
    # bin [0, .5): conf 0.25, 1 of 4 correct; bin [.5, 1]: conf 0.75, 3 of 4 correct
    conf = torch.tensor([0.25] * 4 + [0.75] * 4)
    y = torch.tensor([1, 0, 0, 0, 1, 1, 1, 0])
    m.update(conf, y)
    assert m.compute()["cal/ECE"].item() == pytest.approx(0.0, abs=1e-6)
