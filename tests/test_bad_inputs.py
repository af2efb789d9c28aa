"""One table of bad inputs: each gives a clear message naming the bad thing, or a defined value."""

import json
import math
import re

import pytest
import torch

from calibmodule.alien import AlienModule
from calibmodule.rl import RLCalibrationModule
from calibmodule.answers import is_correct
from calibmodule.cli import main as cli_main
from calibmodule.models import LoraConfig, ModelLoadError, load_policy, load_tokenizer
from calibmodule.prompting import extract_answer, extract_confidence
from calibmodule.rewards import check_weights, total_reward
from calibmodule.sampling import SamplerConfig
from calibmodule.sweep import SweepError, load_sweep
from calibmodule.targets import EntropyTargetConfig
from callbacks.reliability import ReliabilityDiagram
from datamodules.qa import DataError, QADataModule


def _jsonl(tmp_path, rows, name="d.jsonl"):
    p = tmp_path / name
    p.write_text("\n".join(json.dumps(r) for r in rows))
    return str(p)


def _setup_file(tmp_path, name, text):
    """Write a data file as given (UTF-8) and set up a datamodule on it."""
    (tmp_path / name).write_text(text, encoding="utf-8")
    QADataModule(source=str(tmp_path / name)).setup()


def _sweep(tmp_path, text):
    """Write a sweep file (``base: configs/default.yaml`` first unless ``text`` names its own) and load it."""
    body = text if text.startswith("base:") else f"base: configs/default.yaml\n{text}"
    (tmp_path / "s.yaml").write_text(body + "\n")
    return load_sweep(str(tmp_path / "s.yaml"))


def _sweep_bytes(tmp_path, data: bytes):
    """Write a sweep file byte for byte and load it."""
    (tmp_path / "s.yaml").write_bytes(data)
    return load_sweep(str(tmp_path / "s.yaml"))


def _cli_error(args, capsys):
    with pytest.raises(SystemExit) as e:
        cli_main(args, run=False)
    return capsys.readouterr().err + str(e.value.code)


RAISES = [
    # (id, thunk(tmp_path), exception, message regex)
    ("missing question column", lambda t: QADataModule(source=_jsonl(t, [{"q": "Q?", "answer": "A"}])).setup(),
     DataError, r"question_column='question' is not a column.*\['q', 'answer'\]"),
    ("missing answer column", lambda t: QADataModule(source=_jsonl(t, [{"question": "Q?"}])).setup(),
     DataError, r"answer_column='answer' is not a column"),
    ("row without answer", lambda t: QADataModule(source=_jsonl(t, [{"question": "Q?", "answer": "A"},
                                                                    {"question": "Q2?", "answer": "  "}])).setup(),
     DataError, r"row 1 .*Q2.*no answer"),
    ("empty data file", lambda t: QADataModule(source=_jsonl(t, [], "empty.jsonl")).setup(), DataError,
     r"empty\.jsonl' is empty"),
    ("blank lines and a byte-order mark only", lambda t: _setup_file(t, "blank.jsonl", "\ufeff\n\r\n  \n"), DataError,
     r"blank\.jsonl' is empty"),
    ("JSON file with an empty list", lambda t: _setup_file(t, "e.json", "[]"), DataError, r"e\.json: the file has no rows"),
    ("nonexistent data file", lambda t: QADataModule(source=str(t / "nope.csv")).setup(), DataError, r"nope\.csv.*does not exist"),
    ("data file of an unread format", lambda t: (t.joinpath("q.txt").write_text("Q?\n"), QADataModule(source=str(t / "q.txt")).setup()),
     DataError, r"q\.txt.*\.txt is not a format this reads.*\.jsonl"),
    ("split empty", lambda t: QADataModule(val_fraction=0.0).setup(), DataError, r"val split is empty"),
    ("cap below 1", lambda t: QADataModule(max_val=0), ValueError, r"data\.max_val must be >= 1"),
    ("batch size 0", lambda t: QADataModule(batch_size=0), ValueError, r"data\.batch_size must be >= 1"),
    ("fractions leave no train split", lambda t: QADataModule(val_fraction=0.5, test_fraction=0.5), ValueError,
     r"val_fraction \+ data\.test_fraction must be < 1"),
    ("broken JSON line", lambda t: _setup_file(t, "b.jsonl", '{"question": "Q?", "answer": "A"}\n{"question": "Q2?",\n'),
     DataError, r"b\.jsonl.*line 2, column \d+ is not valid JSON"),
    ("JSON lines saved as Latin-1", lambda t: (t.joinpath("l.jsonl").write_bytes('{"question": "Qu\u00e9?", "answer": "s\u00ed"}\n'
                                                                           .encode("latin-1")),
                                               QADataModule(source=str(t / "l.jsonl")).setup()),
     DataError, r"l\.jsonl' is not UTF-8 text \(line 1, byte 0xe9 at column 17\): save it as UTF-8"),
    ("CSV saved as cp1252", lambda t: (t.joinpath("c.csv").write_bytes("question,answer\nQ?,A\nWho?,Jos\u00e9\n".encode("cp1252")),
                                       QADataModule(source=str(t / "c.csv")).setup()),
     DataError, r"c\.csv' is not UTF-8 text \(line 3, byte 0xe9 at column 9\)"),
    ("CSV with a header and no rows", lambda t: _setup_file(t, "h.csv", "question,answer\n\n"), DataError,
     r"h\.csv': the file has a header line \('question,answer'\) and no rows"),
    ("JSON line that names a field twice", lambda t: _setup_file(t, "d.jsonl", '{"question": "Q?", "answer": "A"}\n'
     '{"question": "Q2?", "answer": "B", "answer": "C"}\n'), DataError, r"d\.jsonl': line 2 gives the field 'answer' twice"),
    ("JSON file whose record names a field twice", lambda t: _setup_file(t, "d.json", '[{"question": "Q?", "question": '
     '"Q2?", "answer": "A"}]'), DataError, r"d\.json': an object in it gives the field 'question' twice"),
    ("data folder of two formats", lambda t: (t.joinpath("a.jsonl").write_text('{"question": "Q?", "answer": "A"}\n'),
     t.joinpath("b.csv").write_text("question,answer\nQ2?,B\n"), QADataModule(source=str(t)).setup()), DataError,
     r"holds data files of 2 formats \(\.csv, \.jsonl\)"),
    ("JSON line that is not an object", lambda t: _setup_file(t, "s.jsonl", '"Q?"\n'), DataError,
     r"s\.jsonl.*line 1 is a JSON str"),
    ("broken JSON line after a byte-order mark",
     lambda t: _setup_file(t, "b.jsonl", '\ufeff{"question": "Q?", "answer": "A"}\n{"question": "Q2?",\n'),
     DataError, r"b\.jsonl.*line 2, column \d+ is not valid JSON"),
    ("JSON file that is one string", lambda t: _setup_file(t, "s.json", '"Q?"'), DataError,
     r"s\.json.*its top level is a JSON str; .*list of objects"),
    ("JSON list of numbers", lambda t: _setup_file(t, "n.json", '[{"question": "Q?", "answer": 1}, 2]'), DataError,
     r"n\.json.*item 1 of its top-level list is a JSON int, not an object"),
    ("truncated JSON file", lambda t: _setup_file(t, "t.json", '[{"question": "Q?", "answer": 1},\n {"q'), DataError,
     r"t\.json.*line 2, column \d+ is not valid JSON"),
    ("CSV row with an unquoted comma", lambda t: _setup_file(t, "r.csv", "question,answer\nQ?,A\nWho, then?,B\n"),
     DataError, r"r\.csv.*line 3 has 3 fields, the header has 2 .*'Who, then\?,B'; quote a field that holds ','"),
    ("CSV whose rows all have one field more", lambda t: _setup_file(t, "x.csv", "question,answer\nQ?,A,x\nQ2?,B,y\n"),
     DataError, r"x\.csv.*line 2 has 3 fields, the header has 2"),  # else read with 'Q?' as an index, columns shifted
    ("gzipped file that is no gzip", lambda t: (t.joinpath("z.jsonl.gz").write_text("{}"),
                                                QADataModule(source=str(t / "z.jsonl.gz")).setup()),
     DataError, r"z\.jsonl\.gz' could not be decompressed"),
    ("semicolon-separated .csv", lambda t: _setup_file(t, "s.csv", "question;answer\nQ?;A\n"), DataError,
     r"s\.csv.*columns are \['question;answer'\].*is the file ';'-separated\?"),
    ("answer is an object without answer fields", lambda t: QADataModule(
        source=_jsonl(t, [{"question": "Q?", "answer": {"gold": "A"}}]), eval_only=True).setup("test"), DataError,
     r"row 0: the answer in column 'answer' is an object .*none of the answer fields.*answer\.value"),
    ("infinite answer", lambda t: QADataModule(source=_jsonl(t, [{"question": "Q?", "answer": float("inf")}])).setup(),
     DataError, r"row 0: the answer in column 'answer' is inf"),
    ("JSON number too big for a double", lambda t: _setup_file(t, "n.jsonl", '{"question": "Q?", "answer": 1e400}\n'),
     DataError, r"n\.jsonl': ArrowInvalid: JSON parse error: Number too big to be stored in double\. in row 0"),
    ("NaN answer is no answer", lambda t: QADataModule(source=_jsonl(t, [{"question": "Q?", "answer": float("nan")}])).setup(),
     DataError, r"row 0 \('Q\?'\) has no answer"),
    ("question is a number", lambda t: QADataModule(source=_jsonl(t, [{"question": 5, "answer": "A"}])).setup(),
     DataError, r"row 0: the question in column 'question' is int '5', not text"),
    ("fit on an eval-only file", lambda t: QADataModule(source=_jsonl(t, [{"question": "Q?", "answer": "A"}]),
                                                        eval_only=True).setup("fit"), DataError, r"eval_only"),
    ("negative sampling temperature", lambda t: SamplerConfig(temperature=-1.0), ValueError, r"temperature must be >= 0"),
    ("infinite sampling temperature", lambda t: SamplerConfig(temperature=float("inf")), ValueError,
     r"temperature must be >= 0 and finite, got inf"),
    ("unknown read-out from Python", lambda t: RLCalibrationModule(model=str(t / "never-loaded"), eval_confidence="mean"),
     ValueError, r"model\.eval_confidence must be one of \['greedy', 'expected'\], got 'mean'"),
    ("greedy training rollouts", lambda t: RLCalibrationModule(model=str(t / "never-loaded"), temperature=0.0),
     ValueError, r"model\.temperature is out of range: 0\.0"),
    ("negative confidence temperature", lambda t: RLCalibrationModule(model=str(t / "never-loaded"),
                                                                      confidence_temperature=-1.0),
     ValueError, r"model\.confidence_temperature is out of range: -1\.0"),
    ("unknown dtype from Python", lambda t: RLCalibrationModule(model=str(t / "never-loaded"), dtype="float8"),
     ValueError, r"model\.dtype must be one of"),
    ("reliability diagram without bins", lambda t: ReliabilityDiagram(n_bins=0), ValueError,
     r"ReliabilityDiagram\.n_bins must be an integer >= 1, got 0"),
    ("zero answer budget", lambda t: SamplerConfig(max_answer_tokens=0), ValueError, r"max_answer_tokens must be >= 1"),
    ("unknown template", lambda t: QADataModule(templates=["capitol"]), ValueError, r"data\.templates: unknown .*capitol"),
    ("no templates", lambda t: QADataModule(templates=[]), ValueError, r"data\.templates is empty"),
    ("unreadable model path", lambda t: load_policy(str(t / "no-model")), ModelLoadError, r"no-model"),
    ("unreadable tokenizer path", lambda t: load_tokenizer(str(t / "no-tok")), ModelLoadError, r"no-tok"),
    ("model dir with garbage config", lambda t: (t.joinpath("bad").mkdir(), t.joinpath("bad/config.json").write_text("{x"),
                                                 load_policy(str(t / "bad"))), ModelLoadError, r"bad"),
    ("negative reward weight", lambda t: check_weights({"brier_correct": -1}), ValueError, r"reward\.brier_correct"),
    ("all reward weights zero", lambda t: check_weights({"correctness": 0, "brier_correct": 0}), ValueError,
     r"all weights are 0"),
    ("misspelt reward term", lambda t: check_weights({"brier_corect": 1}), ValueError, r"reward\.brier_corect: unknown"),
    ("stability term without its signal", lambda t: total_reward({"brier_stability": 1}, torch.ones(2),
                                                                   {"correct": torch.ones(2)}),
     ValueError, r"needs the signal 'stability'"),
    ("entropy sampling temperature 0", lambda t: EntropyTargetConfig(temperature=0.0), ValueError,
     r"targets\.temperature must be finite and > 0"),
    ("entropy sampling temperature infinite", lambda t: EntropyTargetConfig(temperature=float("inf")), ValueError,
     r"targets\.temperature must be finite and > 0 .*, got inf"),
    *[(f"infinite {name}", lambda t, name=name: RLCalibrationModule(model=str(t / "never-loaded"), **{name: float("inf")}),
       ValueError, rf"model\.{name} is out of range: inf") for name in
      ("lr", "weight_decay", "kl_beta", "confidence_tau", "confidence_entropy", "confidence_head_lr")],
    ("infinite ALIEN learning rate", lambda t: AlienModule(model=str(t / "never-loaded"), lr=float("inf")), ValueError,
     r"model\.lr is out of range: inf"),
    ("holdout fraction above 1", lambda t: EntropyTargetConfig(holdout_fraction=1.5), ValueError,
     r"targets\.holdout_fraction must be in \[0, 1\), got 1\.5"),
    ("cluster threshold not a cosine", lambda t: EntropyTargetConfig(cluster_threshold=float("nan")), ValueError,
     r"targets\.cluster_threshold"),
    ("stage-1 batch size 0", lambda t: EntropyTargetConfig(batch_size=0), ValueError, r"targets\.batch_size must be >= 1"),
    ("ALIEN learning rate 0", lambda t: AlienModule(model=str(t / "never-loaded"), lr=0.0), ValueError,
     r"model\.lr is out of range: 0\.0"),
    ("ALIEN negative regulariser", lambda t: AlienModule(model=str(t / "never-loaded"), anchor_weight=-1.0), ValueError,
     r"model\.anchor_weight is out of range"),
    ("ALIEN answer budget 0", lambda t: AlienModule(model=str(t / "never-loaded"), max_answer_tokens=0), ValueError,
     r"model\.max_answer_tokens is out of range"),
    ("unknown entropy feature", lambda t: EntropyTargetConfig(features=["vne"]), ValueError, r"targets\.features"),
    ("sweep file missing", lambda t: load_sweep(str(t / "s.yaml")), SweepError, r"s\.yaml.*does not exist"),
    ("sweep file empty", lambda t: _sweep_bytes(t, b"# nothing yet\n"), SweepError,
     r"s\.yaml' is empty: it needs 'base'"),
    ("sweep file is one string", lambda t: _sweep_bytes(t, b"database runs\n"), SweepError,
     r"s\.yaml' holds a YAML str, not a mapping with 'base' and 'runs'"),
    ("sweep file saved as Latin-1", lambda t: _sweep_bytes(t, "runs: [{name: \u00e9}]\n".encode("latin-1")), SweepError,
     r"s\.yaml' is not UTF-8 text \(line 1, byte 0xe9 at column 15\)"),
    ("sweep without runs", lambda t: _sweep(t, "base: configs/default.yaml"), SweepError, r"missing required key 'runs'"),
    ("sweep with bad base", lambda t: _sweep(t, "base: nope.yaml\nruns: [{name: a}]"), SweepError, r"nope\.yaml"),
    ("sweep run names repeat", lambda t: _sweep(t, "runs: [{name: a}, {name: b}, {name: a}]"), SweepError,
     r"runs\[2\]\.name 'a' repeats runs\[0\]'s"),
    ("sweep run name with a slash", lambda t: _sweep(t, "runs: [{name: a/b}]"), SweepError,
     r"runs\[0\]\.name 'a/b' must be letters"),
    ("sweep common is one string", lambda t: _sweep(t, "common: --trainer.max_steps=3\nruns: [{name: a}]"), SweepError,
     r"'common' must be a list of CLI arguments"),
    ("sweep grid value not a list", lambda t: _sweep(t, "grid: {model.init_args.lr: 0.001}\nruns: [{name: a}]"),
     SweepError, r"grid\['model\.init_args\.lr'\] must be a non-empty list"),
    ("sweep test flag not a bool", lambda t: _sweep(t, "test: sometimes\nruns: [{name: a}]"), SweepError,
     r"'test' must be true or false"),
]


@pytest.mark.parametrize("case", RAISES, ids=[c[0] for c in RAISES])
def test_bad_input_raises_clear_error(case, tmp_path):
    _, thunk, exc, msg = case
    with pytest.raises(exc, match=msg):
        thunk(tmp_path)


@pytest.mark.parametrize("setting,needle", [
    ("--model.init_args.num_rollouts=many", "error: model.num_rollouts: expected int, got 'many'\n"),
    ("--model.init_args.confidence_mode=vibes",
     "error: model.confidence_mode: expected one of 'constrained', 'tags', got 'vibes'\n"),
    ("--model.init_args.no_such_arg=1", "error: model: option 'no_such_arg' is not accepted (RLCalibrationModule)\n"),
    ("--model.init_args.lora.r=x", "error: model.lora.r: expected int, got 'x'\n"),
    ("--data.init_args.seed=abc", "error: data.seed: expected int, got 'abc'\n"),
    ("--config=configs/no_such.yaml", "no_such.yaml"),
    ("--model.init_args.reward.brier_correct=-1", "error: reward.brier_correct must be a finite weight >= 0"),
    ("--trainer.val_check_interval=0",
     "error: trainer.val_check_interval must be a number of steps >= 1 or a fraction of an epoch in (0, 1], got 0"),
    ("--trainer.val_check_interval=1.5", "error: trainer.val_check_interval must"),
    ("--trainer.accumulate_grad_batches=0", "error: trainer.accumulate_grad_batches must be >= 1, got 0"),
    ("--trainer.check_val_every_n_epoch=0", "error: trainer.check_val_every_n_epoch must be >= 1, got 0"),
    ("--trainer.gradient_clip_val=-1", "error: trainer.gradient_clip_val must be a finite number >= 0, got -1"),
    ("--trainer.max_steps=-5", "error: `max_steps` must be a non-negative integer or -1 (infinite steps). You passed in -5."),
], ids=["wrong type", "bad choice", "unknown key", "nested wrong type", "data wrong type", "missing config file",
        "invalid value inside a dataclass", "validation every 0 steps", "validation every 1.5 epochs",
        "accumulate 0 batches", "validation every 0 epochs", "negative clip", "trainer setting Lightning refuses"])
def test_malformed_config_names_the_field(setting, needle, capsys):
    """One bad setting (or a second config file that does not exist) after the default preset: one error line."""
    assert needle in _cli_error(["--config", "configs/default.yaml", setting], capsys)


def test_malformed_yaml_file(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: [unclosed\n")
    assert "bad.yaml" in _cli_error(["--config", str(bad)], capsys)


@pytest.mark.parametrize("content,needle", [
    (b"", r"bad\.yaml' is empty: it sets nothing"),
    (b"# only a comment\n", r"bad\.yaml' is empty"),
    (b"- model\n- data\n", r"bad\.yaml' holds a YAML list, not settings as `key: value` lines"),
    ("model: {init_args: {model: Jos\u00e9}}\n".encode("latin-1"),
     r"bad\.yaml' is not UTF-8 text \(line 1, byte 0xe9 at column 31\): save it as UTF-8"),
    (None, r"bad\.yaml' is a folder; give a YAML file"),
], ids=["empty", "comments only", "a list", "Latin-1", "a folder"])
def test_a_config_file_that_holds_no_settings_is_named(content, needle, tmp_path, capsys):
    """Caught before the parser, which says only "Unexpected config" or fails inside the YAML reader."""
    bad = tmp_path / "bad.yaml"
    bad.mkdir() if content is None else bad.write_bytes(content)
    err = _cli_error(["--config", str(bad)], capsys)
    assert re.search(needle, err) and "Traceback" not in err, err


@pytest.mark.parametrize("make,needle", [
    (lambda t: t / "nope.ckpt", r"--ckpt_path '.*nope\.ckpt' does not exist"),
    (lambda t: t, r"does not exist \(it is a directory"),
    (lambda t: (t / "junk.ckpt").write_text("garbage") and t / "junk.ckpt", r"junk\.ckpt' is not a readable Lightning checkpoint"),
    (lambda t: torch.save(torch.ones(2), t / "w.ckpt") or t / "w.ckpt", r"w\.ckpt' is not a readable Lightning checkpoint"),
], ids=["missing", "a directory", "not a torch file", "a tensor, not a checkpoint"])
def test_bad_checkpoint_path_exits_with_one_line(make, needle, tmp_path, capsys):
    """Checked before any model is loaded: one ``error:`` line, no traceback from inside torch.load."""
    path = make(tmp_path)
    with pytest.raises(SystemExit) as e:
        cli_main(["test", "--config", "configs/default.yaml", f"--ckpt_path={path}"])
    assert re.search(needle, str(e.value.code)), e.value.code
    assert str(e.value.code).startswith("error: ")


@pytest.fixture(scope="module")
def tiny_ckpt(tiny_model_dir, tmp_path_factory):
    """One training step of the default preset on the tiny model (2 rollouts, 3-token answers): its last.ckpt."""
    out = tmp_path_factory.mktemp("tiny-fit")
    cli_main(["fit", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
              "--trainer.max_steps=1", "--trainer.limit_val_batches=0", "--model.init_args.max_answer_tokens=3",
              "--model.init_args.num_rollouts=2", "--data.init_args.batch_size=2", "--trainer.enable_progress_bar=false",
              f"--trainer.logger.init_args.save_dir={out}", f"--trainer.default_root_dir={out}"])
    return next(out.rglob("last.ckpt"))


def test_a_checkpoint_from_another_version_names_the_setting(tiny_ckpt, tmp_path):
    """LightningCLI applies a checkpoint's saved hyperparameters; one this version does not take is named in one
    line, not a parser traceback."""
    blob = torch.load(tiny_ckpt, map_location="cpu", weights_only=False)
    blob["hyper_parameters"]["a_later_setting"] = 1
    torch.save(blob, tmp_path / "later.ckpt")
    with pytest.raises(SystemExit) as e:
        cli_main(["test", "--config", "configs/default.yaml", f"--ckpt_path={tmp_path / 'later.ckpt'}",
                  f"--trainer.logger.init_args.save_dir={tmp_path}"])
    assert re.fullmatch(r"error: --ckpt_path .*later\.ckpt: its saved settings include 'a_later_setting', which "
                        r"RLCalibrationModule of this calibmodule version does not take \(.*\)", str(e.value.code))


def test_settings_given_on_the_command_line_outlive_the_checkpoints(tiny_ckpt, tmp_path, capsys):
    """``test --ckpt_path``: the checkpoint's settings rebuild the model over the config (its 2 rollouts, not the
    preset's 4), but one the command line gives stays as given (LightningCLI alone would drop it silently)."""
    cli_main(["test", "--config", "configs/default.yaml", f"--ckpt_path={tiny_ckpt}",
              "--model.init_args.eval_confidence=greedy", "--model.init_args.eval_max_answer_tokens", "5",
              "--data.init_args.max_test=2", "--trainer.enable_progress_bar=false",
              f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}"])
    assert "except as given here: eval_confidence, eval_max_answer_tokens" in capsys.readouterr().err
    used = next(tmp_path.rglob("config.yaml")).read_text()
    assert "eval_confidence: greedy" in used and "eval_max_answer_tokens: 5" in used
    assert "num_rollouts: 2" in used and "max_answer_tokens: 3" in used  # the checkpoint's


def test_a_checkpoint_of_another_method_says_which_model_it_builds(tiny_ckpt, tmp_path, capsys):
    """An RL checkpoint under the ALIEN preset: the saved class is rebuilt (as LightningCLI does), and the CLI says
    so, naming the given settings that class does not take, instead of dropping them silently."""
    cli_main(["test", "--config", "configs/alien.yaml", f"--ckpt_path={tiny_ckpt}",
              "--model.init_args.anchor_weight=0.5",
              "--data.init_args.max_test=2", "--trainer.enable_progress_bar=false",
              f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}"])
    err = capsys.readouterr().err
    assert ("--ckpt_path: the checkpoint's model is RLCalibrationModule, not the config's AlienModule: it is rebuilt "
            "as saved; settings it does not take are dropped: anchor_weight") in err
    assert "RLCalibrationModule" in next(tmp_path.rglob("config.yaml")).read_text()


@pytest.mark.parametrize("flag,needle", [
    ("--model.init_args.lora.r=4", r".*lora_A\.default\.weight is \(8, 32\) in the checkpoint but \(4, 32\) in the model "
                                   r"built here"),
    ("--model.init_args.lora.target_modules=[q_proj]", r"the checkpoint holds .*k_proj.* which the model built here "
                                                       r"does not have"),
])
def test_weights_for_another_model_are_refused_by_name(tiny_ckpt, tmp_path, flag, needle):
    with pytest.raises(SystemExit) as e:
        cli_main(["test", "--config", "configs/default.yaml", f"--ckpt_path={tiny_ckpt}", flag,
                  "--data.init_args.max_test=2", "--trainer.enable_progress_bar=false",
                  f"--trainer.logger.init_args.save_dir={tmp_path}", f"--trainer.default_root_dir={tmp_path}"])
    assert re.match(r"error: --ckpt_path: " + needle, str(e.value.code)), e.value.code


GARBAGE = ["", " ", "\x00\x01", "<answer>", "<confidence>NaN</confidence>", "🙂" * 50, "<answer></answer>",
           "<confidence>0.5</confidence><confidence>x</confidence>"]


@pytest.mark.parametrize("text", GARBAGE, ids=range(len(GARBAGE)))
def test_garbage_completion_gets_defined_reward(text):
    conf = extract_confidence(text)
    ans = extract_answer(text)
    assert conf is None or 0 <= conf <= 1
    correct = float(is_correct(ans, ["Paris"]))
    c = torch.tensor([conf if conf is not None else float("nan")])
    total, terms = total_reward({"correctness": 1.0, "brier_correct": 1.0}, c, {"correct": torch.tensor([correct])},
                                format_penalty=-0.5)
    assert math.isfinite(total.item())
    if conf is None:
        assert terms["brier_correct"].item() == -0.5


def test_nan_signals_give_the_format_penalty_not_nan():
    nan = torch.full((4,), float("nan"))
    total, _ = total_reward({"brier_target": 1.0}, torch.full((4,), 0.5), {"target": nan}, format_penalty=-0.25)
    assert total.tolist() == [-0.25] * 4  # a NaN target is replaced by the defined penalty


def test_bad_lora_target_names_them(tiny_model_dir):
    with pytest.raises(ModelLoadError, match=r"wq_proj.*\(its linear layers: down_proj, gate_proj, k_proj, o_proj, "
                                             r"q_proj, up_proj, v_proj\)"):
        load_policy(tiny_model_dir, LoraConfig(target_modules=["wq_proj"]))


def test_fit_on_missing_data_file_exits_with_one_line(tiny_model_dir, tmp_path, capsys):
    with pytest.raises(SystemExit) as e:
        cli_main(["fit", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
                  f"--data.init_args.source={tmp_path / 'nope.jsonl'}", f"--trainer.default_root_dir={tmp_path}",
                  f"--trainer.logger.init_args.save_dir={tmp_path}", "--trainer.enable_progress_bar=false"])
    assert str(e.value.code).startswith("error: data file") and "nope.jsonl" in str(e.value.code)


@pytest.mark.parametrize("config", ["default", "alien"])
def test_a_question_longer_than_the_context_stops_before_any_work(config, tiny_model_dir, tmp_path):
    rows = [{"question": "Which word comes last in: " + "very " * 600 + "long?", "answer": "long"},
            *[{"question": f"What is {i} plus 1?", "answer": i + 1} for i in range(9)]]
    src = _jsonl(tmp_path, rows)
    argv = ["test", "--config", f"configs/{config}.yaml", f"--model.init_args.model={tiny_model_dir}",
            f"--data.init_args.source={src}", "--data.init_args.eval_only=true", f"--trainer.logger.init_args.save_dir={tmp_path}"]
    with pytest.raises(SystemExit) as e:  # the tiny model's context is 512 positions; that prompt is over 600 tokens
        cli_main(argv)
    msg = str(e.value.code)
    assert re.search(r"^error: 1 \w+ question\(s\) do not fit the model's context of 512 positions", msg), msg
    assert "row 'd.jsonl/0' ('Which word comes last in: very very" in msg and re.search(r"has a 6\d\d-token prompt", msg)
    assert not list(tmp_path.rglob("report.md"))  # nothing was evaluated


@pytest.mark.parametrize("cls", ["rl", "alien"])
def test_answer_budget_beyond_the_context_names_the_limit(cls, tiny_model_dir):
    from calibmodule.alien import AlienModule
    from calibmodule.rl import RLCalibrationModule

    make = RLCalibrationModule if cls == "rl" else AlienModule
    with pytest.raises(ValueError, match=r"model\.max_answer_tokens=500 .*context of 512 positions.*<= 480"):
        make(model=tiny_model_dir, max_answer_tokens=500)
    make(model=tiny_model_dir, max_answer_tokens=480)  # the largest that fits is accepted


def test_eval_answer_budget_is_checked_by_its_own_name(tiny_model_dir):
    from calibmodule.rl import RLCalibrationModule

    with pytest.raises(ValueError, match=r"model\.eval_max_answer_tokens=600 .*context of 512 positions"):
        RLCalibrationModule(model=tiny_model_dir, max_answer_tokens=8, eval_max_answer_tokens=600)
    with pytest.raises(ValueError, match=r"model\.eval_max_answer_tokens is out of range: 0"):
        RLCalibrationModule(model=tiny_model_dir, eval_max_answer_tokens=0)


@pytest.mark.parametrize("args,needle", [
    (["--trainer.logger.init_args.save_dir={bad}"], "error: trainer.logger.init_args.save_dir: cannot write to"),
    (["--trainer.logger=false", "--trainer.default_root_dir={bad}"], "error: trainer.default_root_dir: cannot write to"),
], ids=["logger folder", "root folder"])
def test_an_output_folder_that_cannot_take_files_stops_before_any_work(args, needle, tiny_model_dir, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("")  # a file where a folder should be
    argv = ["validate", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
            *[a.format(bad=blocker / "sub") for a in args]]
    with pytest.raises(SystemExit) as e:
        cli_main(argv)
    assert needle in str(e.value.code)


def test_predictions_path_that_cannot_be_written_stops_before_predicting(tiny_model_dir, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("")
    argv = ["predict", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
            f"--trainer.logger.init_args.save_dir={tmp_path}", f"--predictions={blocker / 'sub' / 'p.jsonl'}"]
    with pytest.raises(SystemExit, match=r"error: --predictions: cannot write to .*file/sub"):
        cli_main(argv)


def test_a_bad_argument_prints_one_usage_line_then_the_error(capsys):
    with pytest.raises(SystemExit):
        cli_main(["fit", "--config", "configs/default.yaml", "--trainer.max_steps=abc"])  # fails while parsing
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "usage: python -m calibmodule fit --config configs/X.yaml [--key=value ...]"
    assert lines[1].startswith("tip:") and lines[2:] == ["error: trainer.max_steps: expected int, got 'abc'"], lines


def test_utf8_check_reads_in_chunks_and_finds_the_place(tmp_path):
    from datamodules.qa import _not_utf8

    p = tmp_path / "f.jsonl"
    p.write_bytes(("é" * 10 + "\n").encode("utf-8") * 3)
    assert _not_utf8(p, chunk=5) is None  # two-byte characters cut by every chunk boundary
    p.write_bytes("aé\n".encode("utf-8") * 3 + "x\nyyé".encode("latin-1"))
    assert _not_utf8(p, chunk=4) == "line 5, byte 0xe9 at column 3"  # the bad byte ends the file, in no chunk of its own
    p.write_bytes(b"abc\xc3")
    assert _not_utf8(p) == "line 1, byte 0xc3 at column 4"  # a character cut off by the end of the file


def test_a_wrapped_data_error_keeps_its_file_and_row(tiny_model_dir, tmp_path):
    """Our message that wraps a lower error (``raise DataError(...) from None``) is the one printed, not the
    lower error without the file and row."""
    src = _jsonl(tmp_path, [{"question": "What is 2 + 2?", "answer": {"a": 1}}])
    with pytest.raises(SystemExit) as e:
        cli_main(["validate", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
                  f"--data.init_args.source={src}", "--data.init_args.eval_only=true",
                  f"--trainer.default_root_dir={tmp_path}", f"--trainer.logger.init_args.save_dir={tmp_path}",
                  "--trainer.enable_progress_bar=false"])
    assert re.match(r"error: .*d\.jsonl: row 0: the answer in column 'answer' is an object", str(e.value.code))
