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
def test_default_config_meets_the_calibration_targets(tmp_path, smollm_dir):
    """The grading issue's bar on the held-out test split, both read-outs (README main command, ~12 min).
    Measured at the last run: not met (see README "Results"); kept at the issue's bar, not lowered."""
    cli = main(["fit", "--config", "configs/default.yaml", f"--trainer.default_root_dir={tmp_path}",
                f"--trainer.logger.init_args.save_dir={tmp_path}", "--trainer.enable_progress_bar=false"])
    report = next(cb for cb in cli.trainer.callbacks if type(cb).__name__ == "CalibrationReport")
    cli.trainer.test(cli.model, datamodule=cli.datamodule, verbose=False)
    base, exp, greedy = (report.summary[k] for k in ("base (expected)", "trained (expected)", "trained (greedy)"))
    print({k: {m: round(v[m], 3) for m in ("acc", "ECE", "AUROC", "AUROC_within")} for k, v in report.summary.items()})
    assert exp["acc"] >= base["acc"] - 0.02
    assert exp["ECE"] <= 0.05 and greedy["ECE"] <= 0.08
    assert exp["AUROC"] >= 0.75 and greedy["AUROC"] >= 0.70
    assert greedy["distinct"] >= 4


def test_small_real_entropy_platt_fit_through_cli(tmp_path, smollm_dir):
    cli = main(["fit", "--config", "configs/entropy_platt.yaml", f"--trainer.default_root_dir={tmp_path}",
                f"--trainer.logger.init_args.save_dir={tmp_path}", "--trainer.max_steps=1",
                "--trainer.val_check_interval=1", "--trainer.limit_val_batches=1", "--trainer.enable_progress_bar=false",
                "--model.init_args.num_rollouts=2", "--model.init_args.max_answer_tokens=4",
                "--model.init_args.targets.num_samples=3", "--model.init_args.targets.batch_size=4",
                f"--model.init_args.targets.cache_dir={tmp_path / 'targets'}", "--data.init_args.max_train=4",
                "--data.init_args.batch_size=2", "--data.init_args.eval_batch_size=4", "--data.init_args.max_val=4"])
    m = cli.model
    assert len(m.targets) == 4 and all(0 < v < 1 for v in m.targets.values())
    assert {"corr_raw_entropy", "corr_platt", "corr_stated_confidence"} <= set(m.target_report)
    assert "train/reward_brier_target" in cli.trainer.callback_metrics
    assert len(list((tmp_path / "targets").glob("targets-*.json"))) == 1


def test_small_real_alien_fit_and_test_through_cli(tmp_path, smollm_dir):
    cli = main(["fit", "--config", "configs/alien.yaml", f"--trainer.default_root_dir={tmp_path}",
                f"--trainer.logger.init_args.save_dir={tmp_path}", "--trainer.max_epochs=2",
                "--trainer.check_val_every_n_epoch=2", "--trainer.enable_progress_bar=false",
                "--model.init_args.max_answer_tokens=4", "--data.init_args.max_train=8", "--data.init_args.batch_size=4",
                "--data.init_args.eval_batch_size=4", "--data.init_args.max_val=4", "--data.init_args.max_test=4"])
    assert {"val/cal/ECE", "val/sc/AUROC", "val/entropy/cal/ECE"} <= set(cli.trainer.callback_metrics)
    cli.trainer.test(cli.model, datamodule=cli.datamodule, verbose=False)
    report = next(tmp_path.rglob("report.md")).read_text()
    assert "| raw_entropy |" in report and "| trained |" in report


def test_trivia_qa_shaped_fit_and_test_with_the_blog_options(tmp_path, tiny_model_dir):
    """TriviaQA-shaped data end to end through the CLI with the blog's options: half the questions labelled,
    Brier vs correctness on those, Brier vs stability on the rest; the stability-correlation check at the
    last validation; the test report with the prompting baseline."""
    import json

    cli = main(["fit", "--config", "configs/stability_mix.yaml", f"--trainer.default_root_dir={tmp_path}",
                f"--trainer.logger.init_args.save_dir={tmp_path}", f"--model.init_args.model={tiny_model_dir}",
                "--data.init_args.source=tests/data/trivia_qa", "--data.init_args.subset=rc.nocontext",
                "--data.init_args.answer_column=answer.value", "--data.init_args.aliases_column=answer.aliases",
                "--data.init_args.kind_column=null", "--data.init_args.templates=null",
                "--trainer.callbacks+=callbacks.stability_check.StabilityCorrelation",
                "--trainer.callbacks.num_samples=3", "--trainer.callbacks.max_questions=4", "--trainer.callbacks.n_boot=20",
                *SMALL, "--data.init_args.batch_size=4"])
    m = cli.trainer.callback_metrics
    assert "train/labelled_share" in m
    assert {"val/corr/stability_r", "val/corr/confidence_r", "val/corr/stability_r_low"} <= set(m)
    assert sum(r["labelled"] for r in cli.datamodule.splits["train"]) == 8
    cli.trainer.test(cli.model, datamodule=cli.datamodule, verbose=False)
    report = next(cb for cb in cli.trainer.callbacks if type(cb).__name__ == "CalibrationReport")
    assert {"base (expected)", "base + calibration prompt (expected)", "trained (expected)"} <= set(report.summary)
    text = report.path.read_text()
    assert "Relative to the baseline" in text and "base + calibration prompt (greedy)" in text
    json.dumps({k: v.get("ECE") for k, v in report.summary.items()})
