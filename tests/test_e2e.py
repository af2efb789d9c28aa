"""End-to-end runs on the real embedded SmolLM2 through the CLI. A small fit always runs in CI;
the full default-config run (and its ECE claim) is marked slow."""

import pytest

from calibmodule.cli import main

SMALL = ["--trainer.max_steps=2", "--trainer.val_check_interval=2", "--trainer.limit_val_batches=1",
         "--trainer.enable_progress_bar=false", "--model.init_args.num_rollouts=4",
         "--model.init_args.max_answer_tokens=6", "--data.init_args.batch_size=2",
         "--data.init_args.eval_batch_size=8", "--data.init_args.max_val=8"]


def test_small_real_fit_through_cli(tmp_path, smollm_dir):
    cli = main(["fit", "--config", "configs/default.yaml", f"--trainer.default_root_dir={tmp_path}",
                f"--trainer.logger.init_args.save_dir={tmp_path}", *SMALL])
    m = cli.trainer.callback_metrics
    assert cli.trainer.global_step == 2
    assert {"val/cal/ECE", "val/cal/Brier", "val/sc/AUROC", "val/acc", "val/cal/gap"} <= set(m)
    assert 0 <= float(m["train/conf_mean"]) <= 1
    assert list(tmp_path.rglob("events.out.tfevents*"))  # TensorBoard logs written
    assert list(tmp_path.rglob("*.ckpt"))


@pytest.mark.slow
def test_default_config_lowers_ece_keeps_accuracy(tmp_path, smollm_dir):
    base = main(["validate", "--config", "configs/default.yaml", f"--trainer.default_root_dir={tmp_path}",
                 "--trainer.logger=false", "--trainer.enable_progress_bar=false"]).trainer.callback_metrics
    cli = main(["fit", "--config", "configs/default.yaml", f"--trainer.default_root_dir={tmp_path}",
                "--trainer.logger=false", "--trainer.enable_progress_bar=false"])
    after = cli.trainer.callback_metrics
    assert float(after["val/cal/ECE"]) < float(base["val/cal/ECE"]) - 0.1
    assert abs(float(after["val/acc"]) - float(base["val/acc"])) <= 0.02 + 1e-9
