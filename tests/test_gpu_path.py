"""The GPU path, checked on CPU: bf16 autocast through every module (tensors follow the module's device
and dtype), and the GPU benchmark script's tiny smoke run."""

import lightning as L
import pytest
import torch

from calibmodule.alien import AlienModule
from calibmodule.entropy_platt import EntropyPlattModule
from calibmodule.rl import RLCalibrationModule
from calibmodule.targets import EntropyTargetConfig
from datamodules.qa import QADataModule


def _dm():
    return QADataModule(templates=["capital"], max_train=4, batch_size=2, eval_batch_size=4, max_val=4, max_test=4)


@pytest.mark.parametrize("make", [
    lambda d, t: RLCalibrationModule(model=d, num_rollouts=2, max_answer_tokens=3),
    lambda d, t: EntropyPlattModule(model=d, num_rollouts=2, max_answer_tokens=3,
                                    targets=EntropyTargetConfig(num_samples=2, batch_size=4, cache_dir=str(t))),
    lambda d, t: AlienModule(model=d, max_answer_tokens=3),
], ids=["rl", "entropy_platt", "alien"])
def test_bf16_mixed_fit_and_validate(make, tiny_model_dir, tmp_path):
    module = make(tiny_model_dir, tmp_path)
    accelerator = "gpu" if torch.cuda.is_available() else "cpu"  # the device machine runs this file on a GPU
    trainer = L.Trainer(accelerator=accelerator, precision="bf16-mixed", max_steps=1, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        num_sanity_val_steps=0, limit_val_batches=1, default_root_dir=tmp_path)
    trainer.fit(module, _dm())
    out = trainer.validate(module, _dm(), verbose=False)[0]
    assert trainer.global_step == 1
    assert all(torch.isfinite(torch.tensor(v)) for k, v in out.items() if "ECE" in k or "Brier" in k)


def test_gpu_step_benchmark_runs_on_cpu_with_a_tiny_shape():
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    import gpu_step

    res = gpu_step.main(["--tiny", "--skip-trl", "--steps", "1"])
    assert res["calibmodule"]["s_per_step"] > 0 and res["calibmodule"]["tokens_per_s"] > 0
