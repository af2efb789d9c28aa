"""Validation with 2 processes (DDP, gloo, CPU) gives the same ECE/Brier/AUROC as 1 process.

Each rank must also hold only its own half in its local states: under ``ddp_spawn`` on CPU,
torch.multiprocessing puts pickled tensors in shared memory, and a metric whose states stayed
shared would pass the ratio check by coincidence (both ranks double-count) and lose updates to
races (CI once lost rank 0's first Brier batch).
"""

import json

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

    def __init__(self, state_dir=None):
        super().__init__()
        self.state_dir = state_dir
        self.val_metrics = calibration_metrics().clone(prefix="val/")
        self.dummy = torch.nn.Parameter(torch.zeros(1))

    def validation_step(self, batch, batch_idx):
        conf, correct = batch
        self.val_metrics.update(conf, correct)
        self.log_dict(self.val_metrics, batch_size=len(conf))

    def on_validation_epoch_end(self):
        if self.state_dir is None:
            return
        # local (unsynced) states, read before Lightning's epoch-end compute syncs them
        local = {name: {k: float(getattr(m, k)) for k in m._defaults if isinstance(getattr(m, k), torch.Tensor)}
                 for name, m in self.val_metrics.items(keep_base=True) if name in ("cal/Brier", "cal/gap", "acc")}
        (self.state_dir / f"rank{self.global_rank}.json").write_text(json.dumps(local))


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
    tmp_path.mkdir(parents=True, exist_ok=True)
    out = t.validate(MetricOnly(tmp_path), dl, verbose=False)[0]
    return {k: float(v) for k, v in out.items()}


def test_two_process_validation_equals_single_process(tmp_path):
    single = _validate(1, tmp_path / "one")
    double = _validate(2, tmp_path / "two")
    conf, correct = _data()
    direct = {k: float(v) for k, v in calibration_metrics().clone(prefix="val/")(conf, correct).items()}
    for key in ("val/cal/ECE", "val/cal/Brier", "val/sc/AUROC", "val/cal/gap", "val/acc"):
        assert double[key] == pytest.approx(single[key], abs=1e-6), key
        assert single[key] == pytest.approx(direct[key], abs=1e-6), key
    ranks = [json.loads((tmp_path / "two" / f"rank{r}.json").read_text()) for r in (0, 1)]
    whole = json.loads((tmp_path / "one" / "rank0.json").read_text())
    sq = ((conf.double() - correct.double()) ** 2)
    for r, local in enumerate(ranks):  # DistributedSampler(shuffle=False): rank r gets rows r, r+2, ...
        assert local["cal/Brier"]["total"] == N // 2
        assert local["acc"]["total"] == N // 2
        assert local["cal/Brier"]["sum_sq"] == pytest.approx(float(sq[r::2].sum()), abs=1e-9)
        assert local["acc"]["correct"] == float(correct[r::2].sum())
        assert local["cal/gap"]["sum_conf"] == pytest.approx(float(conf[r::2].double().sum()), abs=1e-6)
    for name, states in whole.items():
        for k, v in states.items():
            assert ranks[0][name][k] + ranks[1][name][k] == pytest.approx(v, abs=1e-6), (name, k)
