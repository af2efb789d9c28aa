"""Validation with 2 processes (DDP, gloo, CPU) gives the same ECE/Brier/AUROC as 1 process."""

import lightning as L
import pytest
import torch
from torch.utils.data import DataLoader

from calibmodule.metrics import calibration_metrics

N = 64


def _data():
    g = torch.Generator().manual_seed(0)
    conf = torch.rand(N, generator=g)
    correct = (torch.rand(N, generator=g) < conf).long()
    return conf, correct


class MetricOnly(L.LightningModule):
    """Logs the real calibration MetricCollection exactly as the RL/ALIEN modules do."""

    def __init__(self):
        super().__init__()
        self.val_metrics = calibration_metrics().clone(prefix="val/")
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def validation_step(self, batch, batch_idx):
        conf, correct = batch
        self.val_metrics.update(conf, correct)
        self.log_dict(self.val_metrics, batch_size=len(conf))


class _Pairs(torch.utils.data.Dataset):
    def __init__(self):
        self.conf, self.correct = _data()

    def __len__(self):
        return N

    def __getitem__(self, i):
        return self.conf[i], self.correct[i]


def _validate(devices, tmp_path):
    dl = DataLoader(_Pairs(), batch_size=8, shuffle=False)
    strategy = "ddp_spawn" if devices > 1 else "auto"
    t = L.Trainer(accelerator="cpu", devices=devices, strategy=strategy, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, default_root_dir=tmp_path)
    return {k: float(v) for k, v in t.validate(MetricOnly(), dl, verbose=False)[0].items()}


def test_two_process_validation_equals_single_process(tmp_path):
    single = _validate(1, tmp_path / "one")
    double = _validate(2, tmp_path / "two")
    conf, correct = _data()
    direct = {k: float(v) for k, v in calibration_metrics().clone(prefix="val/")(conf, correct).items()}
    for key in ("val/cal/ECE", "val/cal/Brier", "val/sc/AUROC", "val/cal/gap", "val/acc"):
        assert double[key] == pytest.approx(single[key], abs=1e-6), key
        assert single[key] == pytest.approx(direct[key], abs=1e-6), key
