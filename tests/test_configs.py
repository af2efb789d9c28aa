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
    assert cli.model.unlabelled_weights == {"brier_stability": 1.0}
    assert cli.datamodule.hparams.labelled_fraction == 0.0
    assert cli.model.hparams.max_answer_tokens == 40  # from base.yaml
    assert cli.model.hparams.eval_max_answer_tokens == 64


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


def test_blog_sweeps_expand_to_their_three_conditions():
    from calibmodule.sweep import expand, load_sweep

    runs = expand(load_sweep("configs/sweeps/label_mix.yaml"))
    assert [(n, o["data.init_args.labelled_fraction"]) for n, o in runs] == [
        ("brier100", 1.0), ("mix5050", 0.5), ("stab100", 0.0)]
    runs = expand(load_sweep("configs/sweeps/data_scarce.yaml"))
    assert [(n, o["trainer.max_epochs"], o["data.init_args.labelled_fraction"]) for n, o in runs] == [
        ("A_brier_1ep", 1, 1.0), ("B_brier_3ep", 3, 1.0), ("C_mix_3ep", 3, 0.5)]


@pytest.mark.parametrize("sweep", ["label_mix", "data_scarce"])
def test_blog_sweep_runs_resolve_to_the_intended_configs(sweep):
    """Every run's command line parses, and its reward tables and labelled share are what its name says
    (a CLI dict replaces the base's reward table, it is not merged into it)."""
    import shlex

    from calibmodule.sweep import run_sweep

    for row in run_sweep(f"configs/sweeps/{sweep}.yaml", dry_run=True):
        args = shlex.split(row["command"])[3:]
        cfg = main(args[1:], run=False).config
        init = cfg.model.init_args
        frac = cfg.data.init_args.labelled_fraction
        assert init.temperature == 0.3 and init.num_rollouts == 4  # the same sampling in every run
        reward = {k: v for k, v in init.reward.items() if v}  # YAML/CLI dicts merge: zeros switch terms off
        if row["run"].startswith(("brier", "A_", "B_")):
            assert reward == {"brier_correct": 1.0} and frac == 1.0
        elif row["run"].startswith(("mix", "C_")):
            assert reward == {"brier_correct": 1.0} and dict(init.unlabelled_reward) == {
                "brier_stability": 1.0} and frac == 0.5
        else:
            assert reward == {"brier_stability": 1.0} and frac == 0.0
        names = [c.class_path.split(".")[-1] for c in cfg.trainer.callbacks]
        assert "CalibrationReport" in names and ("StabilityCorrelation" in names) == (sweep == "label_mix")


def test_seed_sweep_repeats_the_default_preset_over_seeds():
    """configs/sweeps/seeds.yaml: every command parses into the default preset with its own rollout seed."""
    import shlex

    from calibmodule.sweep import run_sweep

    rows = run_sweep("configs/sweeps/seeds.yaml", dry_run=True)
    assert [r["seed_everything"] for r in rows] == list(range(7)) and {r["sweep_run"] for r in rows} == {"default"}
    default = main(["--config", "configs/default.yaml"], run=False).config
    for row in rows:
        cfg = main(shlex.split(row["command"])[4:], run=False).config
        assert cfg.seed_everything == row["seed_everything"]
        assert cfg.data.init_args.seed == default.data.init_args.seed  # the same split in every run
        assert cfg.model.init_args.lr == default.model.init_args.lr and cfg.trainer.max_steps == default.trainer.max_steps


def test_cpu_presets_repeat_bit_for_bit_and_gpu_presets_keep_their_kernels(tiny_model_dir, tmp_path):
    """The CPU presets use PyTorch's deterministic kernels (without them, the backward of indexing adds its parts
    in varying order on two threads, and runs of one commit drift apart: README, run K), warning rather than failing
    where an op has none; the GPU presets, not checked that way on a GPU, leave the kernels alone."""
    import torch

    base = ["--trainer.logger=false", f"--trainer.default_root_dir={tmp_path}", f"--model.init_args.model={tiny_model_dir}"]
    torch.use_deterministic_algorithms(False)
    main(["--config", "configs/default.yaml", *base], run=False)
    assert torch.are_deterministic_algorithms_enabled() and torch.is_deterministic_algorithms_warn_only_enabled()
    torch.use_deterministic_algorithms(False)
    main(["--config", "configs/gpu/qwen2.5-0.5b.yaml", *base, "--trainer.accelerator=cpu", "--trainer.precision=32"],
         run=False)
    assert not torch.are_deterministic_algorithms_enabled()
