"""Using a trained model: predict writes JSONL (labelled and unlabelled questions), the Python API loads a
run / checkpoint / exported adapter, the adapter also works with plain peft + transformers, and
non-interactive runs print readable progress lines."""

import json

import lightning as L
import pytest
import torch

from callbacks.export import ExportAdapter
from callbacks.predictions import PredictionWriter, merge_rows
from callbacks.progress_log import PlainProgress
from calibmodule.api import load
from calibmodule.cli import main
from calibmodule.prompting import build_prompt

TINY = ["--trainer.max_steps=2", "--trainer.val_check_interval=2", "--trainer.limit_val_batches=1",
        "--trainer.enable_progress_bar=false", "--model.init_args.num_rollouts=2",
        "--model.init_args.max_answer_tokens=4", "--data.init_args.batch_size=2", "--data.init_args.eval_batch_size=4",
        "--data.init_args.max_val=4"]


def _fit(tmp_path, tiny_model_dir, *extra):
    return main(["fit", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
                 f"--trainer.default_root_dir={tmp_path}", f"--trainer.logger.init_args.save_dir={tmp_path}",
                 *TINY, *extra])


def _questions(tmp_path, labelled: bool):
    rows = [{"question": "What is the capital of Peru?", "answer": "Lima"},
            {"question": "Which continent is Chad in?", "answer": "Africa"},
            {"question": "What is the capital of Japan?", "answer": "Tokyo"}]
    path = tmp_path / ("labelled.jsonl" if labelled else "mine.jsonl")
    path.write_text("\n".join(json.dumps(r if labelled else {"question": r["question"]}) for r in rows))
    return path


def test_predict_writes_one_json_line_per_question_for_unlabelled_and_labelled_files(tmp_path, tiny_model_dir, capsys):
    run = _fit(tmp_path, tiny_model_dir)
    ckpt = next(tmp_path.rglob("last.ckpt"))
    for labelled in (False, True):
        out = tmp_path / f"pred-{labelled}.jsonl"
        main(["predict", "--config", "configs/default.yaml", f"--model.init_args.model={tiny_model_dir}",
              f"--ckpt_path={ckpt}", f"--trainer.default_root_dir={tmp_path}", "--trainer.logger=false",
              f"--data.init_args.source={_questions(tmp_path, labelled)}", "--data.init_args.eval_only=true",
              "--model.init_args.max_answer_tokens=4", "--trainer.enable_progress_bar=false",
              "--trainer.callbacks+=callbacks.predictions.PredictionWriter",
              f"--trainer.callbacks.output_path={out}"])
        rows = [json.loads(line) for line in out.read_text().splitlines()]
        assert [r["question"] for r in rows] == ["What is the capital of Peru?", "Which continent is Chad in?",
                                                 "What is the capital of Japan?"]
        for r in rows:
            assert {"id", "question", "answer", "confidence", "confidence_greedy", "completion"} <= set(r)
            assert 0 <= r["confidence"] <= 1 and "Confidence: " in r["completion"]
            assert ("correct" in r) is labelled
        assert str(out) in capsys.readouterr().out  # the path is printed
    del run


def test_a_checkpoint_is_tested_on_every_row_of_a_file_it_was_not_trained_on(tmp_path, tiny_model_dir, capsys):
    """``test --ckpt_path X --data.init_args.source=my.jsonl``, no other switch: a model trained on world facts is
    evaluated on all of the file (before: a 30% "test split" of it, silently); its own source keeps the split."""
    _fit(tmp_path, tiny_model_dir)
    ckpt = next(tmp_path.rglob("last.ckpt"))
    rows = [{"question": f"What is {i} plus {i}?", "answer": 2 * i} for i in range(10)]
    (tmp_path / "sums.jsonl").write_text("\n".join(json.dumps(r) for r in rows))

    def tested(*extra: str) -> int:
        main(["test", "--config", "configs/default.yaml", f"--ckpt_path={ckpt}", f"--trainer.default_root_dir={tmp_path}",
              f"--trainer.logger.init_args.save_dir={tmp_path}", "--trainer.enable_progress_bar=false",
              "--model.init_args.eval_max_answer_tokens=3", *extra])
        report = sorted(tmp_path.rglob("report.md"), key=lambda p: p.stat().st_mtime)[-1].read_text()
        return int(next(line for line in report.splitlines() if line.startswith("| trained (expected)")).split("|")[2])

    assert tested(f"--data.init_args.source={tmp_path / 'sums.jsonl'}") == 10
    assert "every row of" in capsys.readouterr().err
    assert tested(f"--data.init_args.source={tmp_path / 'sums.jsonl'}", "--data.init_args.eval_only=false") == 3
    assert tested("--data.init_args.max_test=4") == 4  # world facts, as trained: its test split


def test_merge_rows_drops_ddp_padding_duplicates_and_orders_by_id():
    parts = [[{"id": "f/1", "a": 1}, {"id": "f/3", "a": 3}], [{"id": "f/2", "a": 2}, {"id": "f/1", "a": 1}]]
    assert [r["id"] for r in merge_rows(parts)] == ["f/1", "f/2", "f/3"]


def test_api_loads_run_checkpoint_and_adapter_alike_and_plain_peft_agrees(tmp_path, tiny_model_dir):
    cli = _fit(tmp_path, tiny_model_dir)
    trained = cli.model.eval()
    questions = ["What is the capital of Peru?", "Which continent is Chad in?"]
    want = trained.ask(questions)
    one = trained.ask(questions[0])  # one question in, one Answer out (not one per character)
    assert one == trained.ask(questions[:1])[0] and isinstance(one.confidence, float)
    assert [a.answer for a in trained.ask(questions, batch_size=1)] == [a.answer for a in want]
    for bad, needle in (([questions[0], ""], r"question 1 must be non-empty text"),
                        ([None], r"question 0 must be non-empty text, got NoneType"),
                        (["Which word ends: " + "very " * 600 + "long?"], r"1 asked question\(s\) do not fit .*context of 512")):
        with pytest.raises(ValueError, match=needle):
            trained.ask(bad)
    for bad in (None, 5, {"q": "What?"}):
        with pytest.raises(TypeError, match=r"ask takes a question \(str\) or a list of them, got "):
            trained.ask(bad)
    run_dir = next(tmp_path.rglob("version_0"))
    adapter = next(tmp_path.rglob("export/adapter"))
    for source in (run_dir, next(tmp_path.rglob("last.ckpt")), adapter):
        got = load(source).ask(questions)
        assert [a.answer for a in got] == [a.answer for a in want], source
        assert all(abs(g.confidence - w.confidence) < 1e-5 for g, w in zip(got, want)), source
    assert [a.answer for a in _plain_peft(adapter, tiny_model_dir, questions)] == [a.answer for a in want]
    plain = _plain_peft(adapter, tiny_model_dir, questions)
    assert all(abs(p.confidence - w.confidence) < 1e-5 for p, w in zip(plain, want)), (plain, want)


def _plain_peft(adapter, base, questions, max_tokens=4):
    """The README's recipe: the exported adapter with plain transformers + peft, no calibmodule model code."""
    import json as _json

    from peft import PeftModel
    from safetensors.torch import load_file
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from calibmodule.api import Answer

    tok = AutoTokenizer.from_pretrained(adapter)
    model = PeftModel.from_pretrained(AutoModelForCausalLM.from_pretrained(base), adapter).eval()
    t_conf = _json.loads((adapter / "calibmodule.json").read_text())["init_args"]["confidence_temperature"]
    head = load_file(str(adapter / "confidence_head.safetensors"))  # digit logits += W·rms(h) + b + U·f
    nl, digits = tok.encode("\n")[0], [tok.encode(str(d))[0] for d in range(10)]
    stops = sorted({tok.convert_tokens_to_ids("<|im_end|>"), tok.eos_token_id})  # each once: their mass joins "\n"
    out = []
    for q in questions:
        ids = tok(build_prompt(tok, q, "constrained"), return_tensors="pt", add_special_tokens=False).input_ids
        answer, lps = [], []
        with torch.no_grad():
            for _ in range(max_tokens):  # greedy; end-of-turn counts as the end of the answer line
                logits = model(ids).logits[0, -1]
                logits[nl] = torch.logsumexp(logits[[nl, *stops]], 0)
                logits[stops] = float("-inf")
                t = int(logits.argmax())
                lps.append(float(logits.log_softmax(-1)[t]))  # the answer's own token log-probs
                ids = torch.cat([ids, torch.tensor([[t]])], 1)
                if "\n" in tok.decode([t]):
                    break
                answer.append(t)
            if len(answer) == max_tokens:
                ids = torch.cat([ids, torch.tensor([[nl]])], 1)
            ids = torch.cat([ids, tok("Confidence: ", return_tensors="pt", add_special_tokens=False).input_ids], 1)
            o = model(ids, output_hidden_states=True)
            h = o.hidden_states[-1][0, -1]
            f = torch.tensor([sum(lps) / len(lps), min(lps), len(lps) / 10])  # mean, min log-prob, length / 10
            z = (o.logits[0, -1, digits] + head["proj.weight"] @ (h * torch.rsqrt(h.pow(2).mean() + 1e-6))
                 + head["proj.bias"] + head["lik.weight"] @ f)
            p = (z / t_conf).softmax(-1)
        out.append(Answer(tok.decode(answer).strip(), float(p @ ((torch.arange(10) + 0.5) / 10))))
    return out


def test_plain_progress_prints_step_and_validation_lines(tiny_module, qa_rows, tmp_path, capsys):
    from tests.test_rl_module import _ListDM

    trainer = L.Trainer(accelerator="cpu", max_steps=2, logger=False, enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
                        val_check_interval=2, limit_val_batches=1, default_root_dir=tmp_path,
                        callbacks=[PlainProgress(force=True)])
    trainer.fit(tiny_module, _ListDM(qa_rows))
    out = capsys.readouterr().out
    assert "step 1/2 | reward" in out and "s/step" in out and "step 2/2" in out
    assert "val @ step 2 | acc" in out and "ECE" in out and "AUROC" in out and "[greedy]" in out
    assert "fit done: 2 steps" in out
