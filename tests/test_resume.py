"""Kill-and-resume: the step after resuming from a mid-epoch checkpoint equals the uninterrupted one."""

import lightning as L
import pytest
import torch
from lightning.pytorch.callbacks import ModelCheckpoint

from calibmodule.rl import RLCalibrationModule
from datamodules.qa import QADataModule


class LossRecorder(L.Callback):
    def __init__(self):
        self.losses = {}

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.losses[trainer.global_step] = float(outputs["loss"])


class StopAfter(L.Callback):
    """Simulates a kill after a given global step, once its checkpoint is written (Lightning runs
    ModelCheckpoint last in on_train_batch_end, so the kill lands as the next batch starts)."""

    def __init__(self, step):
        self.step = step

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        if trainer.global_step == self.step:
            raise KeyboardInterrupt


def _run(tiny_model_dir, root, steps, extra=(), ckpt_path=None, **module_kw):
    L.seed_everything(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=3, max_answer_tokens=4, lr=5e-2, **module_kw)
    dm = QADataModule(templates=["capital"], batch_size=2, max_train=12, max_val=2, max_test=2, seed=0)
    rec = LossRecorder()
    ckpt = ModelCheckpoint(dirpath=root / "ckpt", save_last=True, every_n_train_steps=1, save_top_k=-1)
    t = L.Trainer(accelerator="cpu", max_steps=steps, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, limit_val_batches=0, default_root_dir=root,
                  callbacks=[rec, ckpt, *extra])
    try:
        t.fit(m, dm, ckpt_path=ckpt_path)
    except SystemExit:  # Lightning's graceful shutdown after the simulated kill
        pass
    return rec.losses, m


def test_resume_mid_epoch_matches_uninterrupted(tiny_model_dir, tmp_path):
    full, m_full = _run(tiny_model_dir, tmp_path / "full", steps=4)
    part, _ = _run(tiny_model_dir, tmp_path / "part", steps=4, extra=[StopAfter(2)])  # "killed" after step 2
    assert set(part) == {1, 2}
    assert (tmp_path / "part" / "ckpt" / "last.ckpt").is_file()
    resumed, m_res = _run(tiny_model_dir, tmp_path / "part", steps=4, ckpt_path="last")
    assert set(resumed) == {3, 4}
    for step in (1, 2):
        assert abs(part[step] - full[step]) < 1e-6
    for step in (3, 4):
        assert abs(resumed[step] - full[step]) < 1e-6, (step, resumed[step], full[step])
    for (n, a), b in zip(m_full.named_parameters(), m_res.parameters()):
        if a.requires_grad:
            assert torch.allclose(a, b, atol=1e-6), n


def test_resume_continues_the_lr_schedule(tiny_model_dir, tmp_path):
    """The scheduler's position is in the checkpoint: a resumed cosine run steps at the uninterrupted run's rates."""
    full, m_full = _run(tiny_model_dir, tmp_path / "full", steps=4, lr_schedule="cosine")
    _run(tiny_model_dir, tmp_path / "part", steps=4, extra=[StopAfter(2)], lr_schedule="cosine")
    resumed, m_res = _run(tiny_model_dir, tmp_path / "part", steps=4, ckpt_path="last", lr_schedule="cosine")
    for step in (3, 4):
        assert abs(resumed[step] - full[step]) < 1e-6, (step, resumed[step], full[step])
    for (n, a), b in zip(m_full.named_parameters(), m_res.parameters()):
        if a.requires_grad:
            assert torch.allclose(a, b, atol=1e-6), n
    assert m_res.trainer.optimizers[0].param_groups[0]["lr"] == pytest.approx(m_full.trainer.optimizers[0].param_groups[0]["lr"])


def test_cli_ckpt_path_last_continues_the_newest_run(tiny_model_dir, tmp_path):
    from calibmodule.cli import main

    common = ["--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
              f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}",
              "--trainer.enable_progress_bar=false", "--trainer.limit_val_batches=0", "--trainer.val_check_interval=1",
              "--model.init_args.num_rollouts=2", "--model.init_args.max_answer_tokens=3",
              "--data.init_args.batch_size=2"]
    first = main(["fit", *common, "--trainer.max_steps=2"])
    assert first.trainer.global_step == 2
    ckpts = list(tmp_path.rglob("last.ckpt"))
    assert len(ckpts) == 1 and "version_0" in str(ckpts[0])
    again = main(["fit", *common, "--trainer.max_steps=3", "--ckpt_path=last"])
    assert again.trainer.global_step == 3  # continued from step 2, not restarted
    assert again.trainer.log_dir.endswith("version_0")
    fresh = main(["fit", *common, "--trainer.max_steps=1"])  # without --ckpt_path: a new run, no auto-resume
    assert fresh.trainer.global_step == 1 and fresh.trainer.log_dir.endswith("version_1")


def test_interrupt_writes_on_exception_checkpoint(tiny_model_dir, tmp_path):
    from callbacks.exception_checkpoint import CheckpointOnException

    L.seed_everything(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3)
    dm = QADataModule(templates=["capital"], batch_size=2, max_train=8, max_val=2, max_test=2)
    t = L.Trainer(accelerator="cpu", max_steps=5, logger=False, enable_progress_bar=False, enable_model_summary=False,
                  limit_val_batches=0, default_root_dir=tmp_path, callbacks=[CheckpointOnException(), StopAfter(2)])
    try:
        t.fit(m, dm)
    except (KeyboardInterrupt, SystemExit):
        pass
    ck = next(tmp_path.rglob("on_exception.ckpt"))
    assert torch.load(ck, weights_only=False)["global_step"] == 2
