"""The policy's learning-rate schedule (``model.lr_schedule``, ``model.warmup_steps``): the multipliers by hand,
and a fit that steps its optimizer at exactly those rates while the confidence head keeps its own."""

import math

import lightning as L
import pytest

from calibmodule.rl import RLCalibrationModule
from calibmodule.schedules import lr_factor
from datamodules.qa import QADataModule


@pytest.mark.parametrize("schedule,total,warmup,want", [
    ("constant", 3, 0, [1.0, 1.0, 1.0]),
    ("constant", 3, 1, [0.5, 1.0, 1.0]),
    ("linear", 4, 0, [1.0, 0.75, 0.5, 0.25]),
    ("linear", 6, 2, [1 / 3, 2 / 3, 1.0, 0.75, 0.5, 0.25]),
    ("cosine", 4, 0, [1.0, (1 + math.cos(math.pi / 4)) / 2, 0.5, (1 + math.cos(3 * math.pi / 4)) / 2]),
])
def test_lr_factor_by_hand(schedule, total, warmup, want):
    got = [lr_factor(s, total, schedule, warmup) for s in range(total)]
    assert got == pytest.approx(want, abs=1e-12)
    assert all(f > 0 for f in got)  # no step is wasted at rate 0


def test_unknown_schedule_is_named():
    with pytest.raises(ValueError, match=r"lr_schedule must be one of \['constant', 'linear', 'cosine'\], got 'step'"):
        lr_factor(0, 3, "step")


class _Rates(L.Callback):
    def __init__(self):
        self.policy, self.head = [], []

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self.policy.append(trainer.optimizers[0].param_groups[0]["lr"])
        self.head.append(pl_module._head_opt.param_groups[0]["lr"])


def _fit(tiny_model_dir, tmp_path, max_steps=3, max_epochs=None, **kw):
    L.seed_everything(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, lr=1e-2,
                            confidence_head_final_steps=0, **kw)
    dm = QADataModule(templates=["capital"], batch_size=2, max_train=6, max_val=2, max_test=2, seed=0)
    rates = _Rates()
    t = L.Trainer(accelerator="cpu", max_steps=max_steps, max_epochs=max_epochs, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, enable_checkpointing=False, limit_val_batches=0,
                  default_root_dir=tmp_path, callbacks=[rates])
    t.fit(m, dm)
    return rates


def test_fit_steps_at_the_scheduled_rates(tiny_model_dir, tmp_path):
    rates = _fit(tiny_model_dir, tmp_path, lr_schedule="linear", warmup_steps=1, max_steps=4)
    assert rates.policy == pytest.approx([0.5e-2, 1e-2, 2 / 3 * 1e-2, 1 / 3 * 1e-2])
    assert rates.head == pytest.approx([1e-2] * 4)  # confidence_head_lr: the head's own optimizer is not scheduled


def test_decay_without_a_finite_run_is_refused(tiny_model_dir, tmp_path):
    with pytest.raises(ValueError, match=r"model\.lr_schedule='cosine' needs a finite run"):
        _fit(tiny_model_dir, tmp_path, lr_schedule="cosine", max_steps=-1, max_epochs=-1)


def test_bad_schedule_settings_are_named_at_construction(tmp_path):
    with pytest.raises(ValueError, match=r"model\.lr_schedule must be one of \['constant', 'linear', 'cosine'\]"):
        RLCalibrationModule(model=str(tmp_path / "never-loaded"), lr_schedule="step")
    with pytest.raises(ValueError, match=r"model\.warmup_steps is out of range: -1"):
        RLCalibrationModule(model=str(tmp_path / "never-loaded"), warmup_steps=-1)
