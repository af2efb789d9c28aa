"""A 2-process gloo DDP ``fit`` through the CLI with the default callbacks, then a resume.

Catches: a callback calling a collective on one rank only (the run would hang: the subprocess timeout
fails the test), ranks training on the same questions, ranks drifting apart, outputs written twice or
not at all, and ``--ckpt_path last`` not continuing under DDP (mid-epoch, per-rank data position)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]


def _fit(tiny_model_dir, out: Path, steps: int, *extra: str, config: str = "configs/default.yaml") -> subprocess.CompletedProcess:
    cmd = [sys.executable, "-m", "calibmodule", "fit", "--config", config,
           f"--model.init_args.model={tiny_model_dir}", "--trainer.strategy=ddp", "--trainer.devices=2",
           f"--trainer.max_steps={steps}", "--trainer.val_check_interval=2", "--trainer.limit_val_batches=1",
           "--model.init_args.max_answer_tokens=3", "--model.init_args.num_rollouts=2",
           "--data.init_args.batch_size=2", "--data.init_args.eval_batch_size=4", "--data.init_args.max_val=8",
           "--trainer.enable_progress_bar=false", f"--trainer.logger.init_args.save_dir={out}",
           f"--trainer.default_root_dir={out}", "--trainer.callbacks+=tests.ddp_probe.DDPProbe",
           f"--trainer.callbacks.dirpath={out / 'probe'}",
           *(["--data.init_args.calibration_size=10", "--model.init_args.calibration_tilt=true"]
             if config.endswith("default.yaml") else []), *extra]
    return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)


def _probe(out: Path) -> dict[int, list[dict]]:
    return {r: [json.loads(x) for x in (out / "probe" / f"probe-rank{r}.jsonl").read_text().splitlines()]
            for r in (0, 1)}


def test_ddp_fit_finishes_shards_data_keeps_ranks_equal_and_resumes(tiny_model_dir, tmp_path):
    proc = _fit(tiny_model_dir, tmp_path, 3)
    assert proc.returncode == 0, proc.stderr[-3000:]
    probe = _probe(tmp_path)
    assert [p["step"] for p in probe[0]] == [p["step"] for p in probe[1]] == [1, 2, 3]
    for a, b in zip(probe[0], probe[1]):
        assert not set(a["ids"]) & set(b["ids"]), "both ranks trained on the same question in one step"
        assert abs(a["checksum"] - b["checksum"]) < 1e-9 * max(1.0, abs(a["checksum"])), "ranks diverged"
    # the post-hoc tilt: after the last step only, on all held-out questions (whole countries: at least 10, half a
    # rank), the same β
    from datamodules.qa import QADataModule

    held = QADataModule(calibration_size=10, batch_size=2, eval_batch_size=4, max_val=8)
    held.setup("fit")
    assert [("tilt" in p) for p in probe[0]] == [False, False, True]
    assert probe[0][-1]["tilt"] == probe[1][-1]["tilt"]
    assert probe[0][-1]["tilt"][1] == len(held.splits["calibration"]) >= 10
    run = tmp_path / "calibmodule" / "version_0"
    assert [p.name for p in tmp_path.rglob("last.ckpt")] == ["last.ckpt"]
    assert (run / "checkpoints" / "last.ckpt").is_file()
    assert (run / "export" / "adapter" / "adapter_model.safetensors").is_file()
    assert len(list(tmp_path.rglob("events.out.tfevents*"))) == 1
    assert not (tmp_path / "calibmodule" / "version_1").exists()

    # resume: continues the same run to step 5, each rank after the questions it already saw this epoch
    proc = _fit(tiny_model_dir, tmp_path, 5, "--ckpt_path=last")
    assert proc.returncode == 0, proc.stderr[-3000:]
    probe2 = _probe(tmp_path)
    assert [p["step"] for p in probe2[0]] == [1, 2, 3, 4, 5]
    for r in (0, 1):
        seen = [i for p in probe2[r][:3] for i in p["ids"]]
        assert not set(seen) & {i for p in probe2[r][3:] for i in p["ids"]}, "resume repeated this rank's questions"
    ckpt = torch.load(run / "checkpoints" / "last.ckpt", weights_only=False, map_location="cpu")
    assert ckpt["global_step"] == 5
    assert not (tmp_path / "calibmodule" / "version_1").exists()


def test_ddp_entropy_platt_shares_one_target_table(tiny_model_dir, tmp_path):
    """Entropy→Platt on 2 processes: stage 1 split across the ranks, one cached table (rank 0 writes it,
    no partial file), every training question in it, and each step's refit window identical on both ranks
    (both ranks' rollouts). A rerun reads the table instead of sampling again."""
    cache = tmp_path / "cache"
    extra = ["--model.init_args.targets.num_samples=3", "--model.init_args.targets.refit_min=4",
             f"--model.init_args.targets.cache_dir={cache}", "--data.init_args.max_train=12"]
    proc = _fit(tiny_model_dir, tmp_path / "a", 3, *extra, config="configs/entropy_platt.yaml")
    assert proc.returncode == 0, proc.stderr[-3000:]
    files = sorted(p.name for p in cache.iterdir())
    assert len(files) == 1 and files[0].endswith(".json"), files
    table = json.loads((cache / files[0]).read_text())["body"]
    assert len(table["targets"]) == 12 and len(table["scored"]) == 12  # both ranks' halves, back in row order
    assert [s["id"] for s in table["scored"]] == list(table["targets"])
    probe = _probe(tmp_path / "a")
    for step, (a, b) in enumerate(zip(probe[0], probe[1]), 1):
        assert a["window"] == b["window"], "the ranks fitted Platt on different refit windows"
        assert a["window"][0] == step * 2 * 2 * 2  # steps x ranks x questions x rollouts
        assert abs(a["checksum"] - b["checksum"]) < 1e-9 * max(1.0, abs(a["checksum"]))
    assert (tmp_path / "a" / "calibmodule" / "version_0" / "checkpoints" / "last.ckpt").is_file()

    mtime = (cache / files[0]).stat().st_mtime_ns
    proc = _fit(tiny_model_dir, tmp_path / "b", 1, *extra, config="configs/entropy_platt.yaml")
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "stage 1: entropy scoring" not in proc.stderr and (cache / files[0]).stat().st_mtime_ns == mtime


def _report_rows(path: Path) -> dict[str, list[str]]:
    lines = [l for l in path.read_text().splitlines() if l.startswith("| ") and not l.startswith("| model")]
    rows = {}
    for line in lines:
        cells = [c.strip() for c in line.strip("|").split("|")]
        if cells[0].startswith(("base", "trained")) and cells[0] not in rows:
            rows[cells[0]] = cells
    return rows


def test_ddp_test_counts_every_question_once(tiny_model_dir, tmp_path):
    """5 test questions on 2 processes: the distributed sampler evens the ranks out with a repeated row
    (rank 1's last batch is only that row); the report and the logged metrics count each question once,
    as one process does."""
    def run(devices: int, out: Path) -> dict[str, list[str]]:
        cmd = [sys.executable, "-m", "calibmodule", "test", "--config", "configs/default.yaml",
               f"--model.init_args.model={tiny_model_dir}", f"--trainer.devices={devices}",
               *(["--trainer.strategy=ddp"] if devices > 1 else []), "--model.init_args.max_answer_tokens=3",
               "--data.init_args.eval_batch_size=2", "--data.init_args.max_test=5", "--trainer.enable_progress_bar=false",
               f"--trainer.logger.init_args.save_dir={out}", f"--trainer.default_root_dir={out}"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return _report_rows(out / "calibmodule" / "version_0" / "report" / "report.md")

    one, two = run(1, tmp_path / "one"), run(2, tmp_path / "two")
    assert set(one) == set(two) and "trained (expected)" in two
    for name, cells in two.items():
        assert cells[1] == "5", (name, cells)  # n
        for col in (2, 5, 9):  # accuracy, Brier, gap: the same questions as one process
            assert float(cells[col]) == pytest.approx(float(one[name][col]), abs=2e-3), (name, col)


def test_ddp_alien_fit_test_and_predict(tiny_model_dir, tmp_path):
    """The ALIEN baseline on 2 processes: fit ends with one run folder and checkpoint; test and predict on 7
    questions (odd, so the sampler repeats one) count each once."""
    common = ["--config", "configs/alien.yaml", f"--model.init_args.model={tiny_model_dir}", "--trainer.strategy=ddp",
              "--trainer.devices=2", "--model.init_args.max_answer_tokens=3", "--trainer.enable_progress_bar=false",
              f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}"]

    def cli(*args: str) -> None:
        proc = subprocess.run([sys.executable, "-m", "calibmodule", *args], cwd=ROOT, capture_output=True, text=True,
                              timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]

    cli("fit", *common, "--trainer.max_epochs=1", "--trainer.check_val_every_n_epoch=1", "--data.init_args.max_train=16",
        "--data.init_args.batch_size=4", "--data.init_args.max_val=8")
    ckpt = tmp_path / "calibmodule" / "version_0" / "checkpoints" / "last.ckpt"
    assert ckpt.is_file() and [p.name for p in tmp_path.rglob("last.ckpt")] == ["last.ckpt"]
    assert torch.load(ckpt, weights_only=False, map_location="cpu")["global_step"] == 2  # 16 questions / 2 ranks / 4
    eval_args = [*common, f"--ckpt_path={ckpt}", "--data.init_args.max_test=7", "--data.init_args.eval_batch_size=2"]
    cli("test", *eval_args)
    report = (tmp_path / "calibmodule" / "version_1" / "report" / "report.md").read_text()
    rows = [[c.strip() for c in l.strip("|").split("|")] for l in report.splitlines()
            if l.startswith(("| raw_entropy", "| trained"))]
    assert {r[0] for r in rows} >= {"raw_entropy", "trained"} and all(r[1] == "7" for r in rows[:2]), rows
    cli("predict", *eval_args, f"--predictions={tmp_path / 'p.jsonl'}")
    ids = [json.loads(line)["id"] for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    assert len(ids) == len(set(ids)) == 7


def test_ddp_predict_writes_each_question_once(tiny_model_dir, tmp_path):
    """The RL module's ``predict`` on 2 processes, 7 questions (odd: the sampler repeats one): one JSONL, each
    question once, every row with its answer, confidence and verdict, as one process writes them."""
    def run(devices: int, out: Path) -> list[dict]:
        cmd = [sys.executable, "-m", "calibmodule", "predict", "--config", "configs/default.yaml",
               f"--model.init_args.model={tiny_model_dir}", f"--trainer.devices={devices}",
               *(["--trainer.strategy=ddp"] if devices > 1 else []), "--model.init_args.max_answer_tokens=3",
               "--data.init_args.eval_batch_size=2", "--data.init_args.max_test=7", "--trainer.enable_progress_bar=false",
               f"--trainer.logger.init_args.save_dir={out}", f"--trainer.default_root_dir={out}", f"--predictions={out}.jsonl"]
        proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr[-3000:]
        return [json.loads(line) for line in Path(f"{out}.jsonl").read_text().splitlines()]

    one, two = run(1, tmp_path / "one"), run(2, tmp_path / "two")
    assert len(two) == len({r["id"] for r in two}) == 7
    by_id = {r["id"]: r for r in one}
    for r in two:  # the same answers and verdicts; confidences to float noise (other batch neighbours, other padding)
        assert {k: v for k, v in r.items() if k != "confidence"} == {k: v for k, v in by_id[r["id"]].items()
                                                                     if k != "confidence"}
        assert r["confidence"] == pytest.approx(by_id[r["id"]]["confidence"], abs=1e-5)


def test_ddp_spawn_fit_writes_one_checkpoint(tiny_model_dir, tmp_path):
    """``--trainer.strategy=ddp_spawn`` pickles the CLI's parser and the module into each process: the parser's
    usage printer must pickle, and memory-mapped weights must travel (they do as shared-memory files)."""
    proc = subprocess.run(
        [sys.executable, "-m", "calibmodule", "fit", "--config", "configs/default.yaml",
         f"--model.init_args.model={tiny_model_dir}", "--trainer.strategy=ddp_spawn", "--trainer.devices=2",
         "--trainer.max_steps=2", "--trainer.limit_val_batches=0", "--model.init_args.max_answer_tokens=3",
         "--model.init_args.num_rollouts=2", "--data.init_args.batch_size=2", "--trainer.enable_progress_bar=false",
         f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}"],
        cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    ckpt = tmp_path / "calibmodule" / "version_0" / "checkpoints" / "last.ckpt"
    assert torch.load(ckpt, weights_only=False, map_location="cpu")["global_step"] == 2
    assert [p.name for p in tmp_path.rglob("last.ckpt")] == ["last.ckpt"]
