"""Every shipped YAML parses and builds through the CLI (run=False), with the tiny model swapped in."""

from pathlib import Path

import pytest

from calibmodule.cli import main

CONFIGS = sorted(p for p in (Path(__file__).parents[1] / "configs").glob("*.yaml"))
GPU_CONFIGS = sorted(p for p in (Path(__file__).parents[1] / "configs" / "gpu").glob("*.yaml"))


def test_configs_exist():
    names = {p.name for p in CONFIGS}
    assert {"default.yaml", "rlcr.yaml", "stability_mix.yaml", "stability_only.yaml", "brier_only.yaml"} <= names


@pytest.mark.parametrize("cfg", CONFIGS, ids=[p.name for p in CONFIGS])
def test_config_builds(cfg, tiny_model_dir, tmp_path):
    cli = main(["--config", str(cfg), f"--model.init_args.model={tiny_model_dir}",
                f"--trainer.default_root_dir={tmp_path}", "--trainer.logger=false"], run=False)
    assert cli.model is not None and cli.datamodule is not None
    assert cli.trainer.max_steps > 0 or cli.trainer.max_epochs > 0  # a run that ends


@pytest.mark.parametrize("cfg", GPU_CONFIGS, ids=[p.name for p in GPU_CONFIGS])
def test_gpu_config_builds_on_cpu_with_the_tiny_model(cfg, tiny_model_dir, tmp_path):
    """GPU presets parse and build here (no GPU, no network): the tiny model and a local file stand in."""
    data = tmp_path / "q.jsonl"
    data.write_text('{"question": "Q?", "answer": {"value": "A", "aliases": ["A"]}}\n' * 20)
    args = ["--config", str(cfg), f"--model.init_args.model={tiny_model_dir}", "--trainer.accelerator=cpu",
            "--trainer.devices=1", "--trainer.strategy=auto", "--trainer.logger=false",
            f"--trainer.default_root_dir={tmp_path}"]
    if "trivia" in cfg.read_text():
        args.append(f"--data.init_args.source={data}")
    cli = main(args, run=False)
    assert cli.trainer.precision == "bf16-mixed" and cli.model.hparams.num_rollouts == 8


def test_overlays_are_short_and_compose_on_base():
    from calibmodule.cli import expand_config_args

    overlays = [p for p in CONFIGS if p.name not in ("base.yaml", "alien.yaml")]
    for p in overlays:
        assert len(p.read_text().splitlines()) <= 25, p.name
        args = expand_config_args(["--config", str(p)])
        assert args[1].endswith("base.yaml"), p.name  # base first, the overlay's own lines after it


def test_overlay_values_win_over_base(tiny_model_dir, tmp_path):
    cli = main(["--config", "configs/stability_only.yaml", f"--model.init_args.model={tiny_model_dir}",
                "--trainer.logger=false"], run=False)
    assert cli.model.weights == {"correctness": 0.0, "brier_correct": 0.0, "brier_stability": 1.0}
    assert [s.name for s in cli.model.signals] == ["stability", "correct"]
    assert cli.model.hparams.max_answer_tokens == 32  # from base.yaml


@pytest.mark.parametrize("text,match", [("base: nope.yaml\n", r"base 'nope.yaml' does not exist"),
                                        ("base: self.yaml\n", r"includes itself")])
def test_bad_base_is_named(tmp_path, capsys, text, match):
    import re

    p = tmp_path / "self.yaml"
    p.write_text(text)
    with pytest.raises(SystemExit) as e:
        main(["--config", str(p)], run=False)
    assert re.search(match, str(e.value.code))


def test_bad_config_value_names_the_field(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--config", str(CONFIGS[0]), "--model.init_args.num_rollouts=lots"], run=False)
    assert "num_rollouts" in capsys.readouterr().err


def test_sweep_config_expands_to_three_runs():
    from calibmodule.sweep import expand, load_sweep

    runs = expand(load_sweep("configs/sweeps/mix_ratio.yaml"))
    weights = [(o["model.init_args.reward.brier_correct"], o["model.init_args.reward.brier_stability"]) for _, o in runs]
    assert weights == [(1.0, 0.0), (0.5, 0.5), (0.0, 1.0)]
