import lightning as L
import pytest
import torch

from callbacks.stability import StabilityCallback
from calibmodule.rewards import RewardConfig
from calibmodule.rl import RLCalibrationModule
from datamodules.qa import QADataModule


class _ListDM(L.LightningDataModule):
    def __init__(self, rows, batch_size=2):
        super().__init__()
        self.rows, self.bs = rows, batch_size

    def _dl(self):
        from torch.utils.data import DataLoader

        from datamodules.qa import collate
        return DataLoader(self.rows, batch_size=self.bs, collate_fn=collate)

    train_dataloader = val_dataloader = test_dataloader = predict_dataloader = _dl


def _trainer(tmp_path, steps=2, callbacks=()):
    return L.Trainer(accelerator="cpu", max_steps=steps, logger=False, enable_checkpointing=False,
                     enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
                     limit_val_batches=1, default_root_dir=tmp_path, callbacks=list(callbacks))


def test_training_step_changes_every_trainable_param(tiny_module, qa_rows, tmp_path):
    before = {n: p.detach().clone() for n, p in tiny_module.named_parameters() if p.requires_grad}
    frozen = {n: p.detach().clone() for n, p in tiny_module.named_parameters() if not p.requires_grad}
    assert before and all("lora_" in n for n in before)
    _trainer(tmp_path).fit(tiny_module, _ListDM(qa_rows))
    after = dict(tiny_module.named_parameters())
    # lora_A of a module whose lora_B is still 0 after step 1 gets grad only from step 2 on: all change in 2 steps
    changed = [n for n in before if not torch.equal(before[n], after[n].detach())]
    assert changed == list(before), set(before) - set(changed)
    assert all(torch.equal(frozen[n], after[n].detach()) for n in frozen)


def test_validate_and_test_log_calibration_metrics(tiny_module, qa_rows, tmp_path):
    t = _trainer(tmp_path)
    out = t.validate(tiny_module, _ListDM(qa_rows, 4), verbose=False)[0]
    assert {"val/cal/ECE", "val/cal/Brier", "val/sc/AUROC", "val/acc", "val/cal/gap", "val/unparsed"} <= set(out)
    assert 0 <= out["val/cal/ECE"] <= 1 and out["val/unparsed"] == 0
    out = t.test(tiny_module, _ListDM(qa_rows, 4), verbose=False)[0]
    assert "test/cal/ECE" in out
    preds = t.predict(tiny_module, _ListDM(qa_rows, 4))
    assert len(preds[0]) == 4 and {"answer", "confidence", "correct"} <= set(preds[0][0])


def test_stability_reward_requires_callback(tiny_model_dir, qa_rows, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3,
                            reward=RewardConfig(correctness=0, brier_correct=0.5, brier_stability=0.5))
    with pytest.raises(ValueError, match="StabilityCallback"):
        _trainer(tmp_path, 1).fit(m, _ListDM(qa_rows))


def test_stability_callback_feeds_reward_and_logs(tiny_model_dir, qa_rows, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=3, max_answer_tokens=3,
                            reward=RewardConfig(correctness=0, brier_correct=0, brier_stability=1.0))
    cb = StabilityCallback()
    t = _trainer(tmp_path, 2, [cb])
    t.fit(m, _ListDM(qa_rows))
    logged = t.callback_metrics
    assert 0 <= logged["train/stability"] <= 1 and "train/stability_corr" in logged
    assert logged["train/reward_brier_stability"] > 0 and "train/stability_cost_frac" in logged
    assert cb.state_dict()["steps"] == 2


def test_kl_to_reference_uses_disabled_adapters(tiny_model_dir, qa_rows, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, kl_beta=0.1, lr=5e-2)
    assert m.ref_policy is None  # no second model copy with LoRA
    t = _trainer(tmp_path, 3)
    t.fit(m, _ListDM(qa_rows))
    assert t.callback_metrics["train/kl"] >= 0


def test_checkpoint_holds_only_trainable_weights(tiny_module, qa_rows, tmp_path):
    t = L.Trainer(accelerator="cpu", max_steps=1, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
                  default_root_dir=tmp_path)
    t.fit(tiny_module, _ListDM(qa_rows))
    ckpt = torch.load(next(tmp_path.rglob("*.ckpt")), weights_only=False)
    assert ckpt["state_dict"] and all("lora_" in k for k in ckpt["state_dict"])
    assert "optimizer_states" in ckpt


def test_world_facts_datamodule_fit_smoke(tiny_model_dir, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3)
    dm = QADataModule(batch_size=2, eval_batch_size=4, max_val=4, max_test=4)
    _trainer(tmp_path, 1).fit(m, dm)


def test_tags_mode_with_nothing_parseable_validates_without_crash(tiny_model_dir, qa_rows, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, confidence_mode="tags", num_rollouts=2, max_answer_tokens=4)
    out = _trainer(tmp_path).validate(m, _ListDM(qa_rows, 4), verbose=False)[0]
    assert out["val/unparsed"] == 1.0 and "val/acc_all" in out
    assert "val/cal/ECE" not in out  # nothing to calibrate: not reported, not a crash
    assert not any(k.startswith("val/greedy/") for k in out)  # no second read-out in tags mode
    _trainer(tmp_path, 1).fit(m, _ListDM(qa_rows))  # and training gets the defined format reward
