import csv

import yaml

from calibmodule.sweep import run_sweep


def test_sweep_writes_one_row_per_run_and_survives_a_failed_run(tiny_model_dir, tmp_path):
    spec = {
        "base": "configs/stability_mix.yaml",
        "output_dir": str(tmp_path / "out"),
        "test": True,
        "common": [f"--model.init_args.model={tiny_model_dir}", "--trainer.max_steps=1", "--trainer.val_check_interval=1",
                   "--trainer.limit_val_batches=1", "--trainer.limit_test_batches=1", "--trainer.enable_progress_bar=false",
                   "--model.init_args.num_rollouts=2", "--model.init_args.max_answer_tokens=3",
                   "--data.init_args.batch_size=2", "--data.init_args.eval_batch_size=4"],
        "runs": [
            {"name": "mix", "model.init_args.reward.brier_correct": 0.5, "model.init_args.reward.brier_stability": 0.5},
            {"name": "broken", "model.init_args.reward.brier_correct": -1.0},
            {"name": "stab", "model.init_args.reward.brier_correct": 0.0, "model.init_args.reward.brier_stability": 1.0},
        ],
    }
    path = tmp_path / "sweep.yaml"
    path.write_text(yaml.safe_dump(spec))
    rows = run_sweep(str(path))
    assert [r["run"] for r in rows] == ["mix", "broken", "stab"]
    assert rows[0]["status"] == rows[2]["status"] == "ok"
    assert rows[1]["status"].startswith("failed") and "brier_correct" in rows[1]["status"]
    table = list(csv.DictReader(open(tmp_path / "out" / "results.csv")))
    assert len(table) == 3 and "test/cal/ECE" in table[0] and table[0]["test/cal/ECE"]
    assert "| mix |" in (tmp_path / "out" / "results.md").read_text()
