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


def test_summary_table_has_the_blog_columns(tmp_path):
    from calibmodule.sweep import write_summary

    rows = [{"run": "mix5050", "labelled_fraction": 0.5, "test/acc": 0.24, "test/cal/gap": 0.1234,
             "test/cal/ECE": 0.05, "test/sc/AUROC": 0.7, "val/corr/stability_r": 0.43, "status": "ok"},
            {"run": "broken", "status": "failed: ValueError: x"}]
    write_summary(rows, tmp_path)
    text = (tmp_path / "summary.md").read_text().splitlines()
    assert text[0] == "| run | labels used | acc | gap | ECE | AUROC | r stability | status |"
    assert text[2] == "| mix5050 | 0.500 | 0.240 | +0.123 | 0.050 | 0.700 | 0.430 | ok |"
    assert text[3].startswith("| broken |  |") and text[3].endswith("failed: ValueError: x |")


def test_summary_ends_with_mean_and_sd_of_a_repeated_run(tmp_path):
    from calibmodule.sweep import write_summary

    rows = [{"run": f"default_seed_everything={s}", "sweep_run": "default", "seed_everything": s, "test/acc": acc,
             "test/cal/ECE": ece, "test/cal/gap": gap, "status": "ok"}
            for s, acc, ece, gap in [(0, 0.40, 0.05, 0.02), (1, 0.44, 0.07, 0.04), (2, 0.42, 0.12, 0.09)]]
    rows.append({"run": "default_seed_everything=3", "sweep_run": "default", "status": "failed: ValueError: x"})
    write_summary(rows, tmp_path)
    last = (tmp_path / "summary.md").read_text().splitlines()[-1]
    # hand-computed: acc 0.42 ± 0.02; ECE 0.08 ± sd(0.05, 0.07, 0.12) = 0.036; gap +0.05 ± 0.036; the failed run is left out
    assert last == "| default: mean ± sd of 3 | 0.420 ± 0.020 | +0.050 ± 0.036 | 0.080 ± 0.036 | ok |"


class _FakeCLI:
    """What ``run_sweep`` reads of a finished ``cli_main``: the trainer's logged metrics."""

    def __init__(self, metrics):
        self.trainer = type("T", (), {"callback_metrics": metrics})()


def test_a_restarted_sweep_keeps_finished_runs_and_a_dry_run_writes_nothing(tmp_path, monkeypatch, capsys):
    """Stopped after one of two runs and started again, the sweep runs only the other; a run whose command changed
    runs again; ``--rerun`` runs all; a dry run leaves the tables as they were."""
    import torch

    import calibmodule.sweep as sweep

    calls = []

    def fake_cli(args):
        calls.append(args)
        if "--model.init_args.lr=0.002" in args and len(calls) == 2:
            raise KeyboardInterrupt  # the first sweep is stopped during its second run
        return _FakeCLI({"val/acc": torch.tensor(0.25 * len(calls))})

    monkeypatch.setattr(sweep, "cli_main", fake_cli)
    spec = {"base": "configs/default.yaml", "output_dir": str(tmp_path / "out"),
            "runs": [{"name": "a", "model.init_args.lr": 0.001}, {"name": "b", "model.init_args.lr": 0.002}]}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(spec))
    try:
        sweep.run_sweep(str(path))
    except KeyboardInterrupt:
        pass
    table = list(csv.DictReader(open(tmp_path / "out" / "results.csv")))
    assert [r["run"] for r in table] == ["a"] and table[0]["val/acc"] == "0.25"

    rows = sweep.run_sweep(str(path))  # started again: only b runs
    assert len(calls) == 3 and "--model.init_args.lr=0.002" in calls[-1]
    assert [(r["run"], r["val/acc"], r["status"]) for r in rows] == [("a", 0.25, "ok"), ("b", 0.75, "ok")]
    assert "a finished in an earlier sweep with the same command; kept" in capsys.readouterr().out
    assert "command" not in (tmp_path / "out" / "results.md").read_text().splitlines()[0]

    before = (tmp_path / "out" / "results.csv").read_text()
    assert [r["run"] for r in sweep.run_sweep(str(path), dry_run=True)] == ["a", "b"] and len(calls) == 3
    assert (tmp_path / "out" / "results.csv").read_text() == before

    spec["runs"][0]["model.init_args.lr"] = 0.003  # a changed command runs again
    path.write_text(yaml.safe_dump(spec))
    sweep.run_sweep(str(path))
    assert len(calls) == 4 and "--model.init_args.lr=0.003" in calls[-1]
    sweep.run_sweep(str(path), rerun=True)
    assert len(calls) == 6
