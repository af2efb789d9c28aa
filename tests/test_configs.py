"""Every shipped YAML parses and builds through the CLI (run=False), with the tiny model swapped in."""

from pathlib import Path

import pytest

from calibmodule.cli import main

CONFIGS = sorted(p for p in (Path(__file__).parents[1] / "configs").glob("*.yaml"))


def test_configs_exist():
    names = {p.name for p in CONFIGS}
    assert {"default.yaml", "rlcr.yaml", "stability_mix.yaml", "stability_only.yaml", "brier_only.yaml"} <= names


@pytest.mark.parametrize("cfg", CONFIGS, ids=[p.name for p in CONFIGS])
def test_config_builds(cfg, tiny_model_dir, tmp_path):
    cli = main(["--config", str(cfg), f"--model.init_args.model={tiny_model_dir}",
                f"--trainer.default_root_dir={tmp_path}", "--trainer.logger=false"], run=False)
    assert cli.model is not None and cli.datamodule is not None
    assert cli.trainer.max_steps > 0 or cli.trainer.max_epochs > 0  # a run that ends


def test_bad_config_value_names_the_field(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main(["--config", str(CONFIGS[0]), "--model.init_args.num_rollouts=lots"], run=False)
    assert "num_rollouts" in capsys.readouterr().err


def test_sweep_config_expands_to_three_runs():
    from calibmodule.sweep import expand, load_sweep

    runs = expand(load_sweep("configs/sweeps/mix_ratio.yaml"))
    weights = [(o["model.init_args.reward.brier_correct"], o["model.init_args.reward.brier_stability"]) for _, o in runs]
    assert weights == [(1.0, 0.0), (0.5, 0.5), (0.0, 1.0)]
