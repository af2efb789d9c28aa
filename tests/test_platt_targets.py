import json
import logging

import pytest
import torch

from calibmodule.platt import fit_platt
from calibmodule.targets import EntropyTargetConfig, build_targets, cache_key, fit_targets, load_cache, save_cache


def test_platt_recovers_a_known_logistic_map():
    g = torch.Generator().manual_seed(0)
    x = torch.rand(4000, 1, generator=g) * 4 - 2
    p_true = torch.sigmoid(2.0 - 3.0 * x[:, 0])
    y = (torch.rand(4000, generator=g) < p_true).float()
    p = fit_platt(x, y, l2=0.0).predict(x)
    assert (p - p_true).abs().max() < 0.05


def test_platt_bad_shapes():
    with pytest.raises(ValueError, match="fit_platt needs"):
        fit_platt(torch.zeros(3), torch.zeros(3))


def _scored(n=40):
    # low entropy -> mostly correct, high entropy -> mostly wrong
    out = []
    for i in range(n):
        h = i / n
        k = round((1 - h) * 8)
        out.append({"id": f"q{i}", "kernel_entropy": h, "semantic_entropy": 2 * h,
                    "correct": [1] * k + [0] * (8 - k), "stated": [0.9] * 8})
    return out


def test_fit_targets_report_and_monotone_targets():
    cfg = EntropyTargetConfig(features=["kernel_entropy"], holdout_fraction=0.25)
    platt, targets, report = fit_targets(_scored(), cfg)
    # per-sample (binary) labels: point-biserial r is ~0.58 for this construction
    assert report["corr_raw_entropy"] > 0.5 and report["corr_platt"] > 0.5
    assert report["corr_stated_confidence"] == 0.0  # constant stated confidence carries no signal
    assert report["holdout_questions"] == 10 and 0 <= report["holdout_ECE"] < 0.2
    assert targets["q0"] > targets["q20"] > targets["q39"]


def test_config_validation():
    with pytest.raises(ValueError, match="features"):
        EntropyTargetConfig(features=["nope"])
    with pytest.raises(ValueError, match="num_samples"):
        EntropyTargetConfig(num_samples=1)


def test_cache_key_changes_with_model_data_and_settings(qa_rows):
    cfg = EntropyTargetConfig()
    k = cache_key({"path": "a"}, qa_rows, cfg, "constrained", 12)
    assert k == cache_key({"path": "a"}, qa_rows, cfg, "constrained", 12)
    assert k != cache_key({"path": "b"}, qa_rows, cfg, "constrained", 12)
    assert k != cache_key({"path": "a"}, qa_rows[:-1], cfg, "constrained", 12)
    assert k != cache_key({"path": "a"}, qa_rows, EntropyTargetConfig(num_samples=4), "constrained", 12)
    assert k == cache_key({"path": "a"}, qa_rows, EntropyTargetConfig(batch_size=3), "constrained", 12)


def test_cache_key_changes_with_the_grader_source(qa_rows, tmp_path, monkeypatch):
    """A table whose samples an older grader graded is not reused: the grader's (and prompt's) source is in the key."""
    import calibmodule.targets as targets

    src = tmp_path / "answers.py"
    src.write_text("RULES = 1\n")
    before = targets.code_digest([src])
    src.write_text("RULES = 2\n")
    assert targets.code_digest([src]) != before and len(targets.code_digest()) == 64
    cfg = EntropyTargetConfig()
    k = cache_key({"path": "a"}, qa_rows, cfg, "constrained", 12)
    monkeypatch.setattr(targets, "code_digest", lambda: before)
    assert cache_key({"path": "a"}, qa_rows, cfg, "constrained", 12) != k


def test_cache_stale_and_corrupt_are_detected(tmp_path, caplog):
    p = tmp_path / "t.json"
    save_cache(p, {"key": "k1", "targets": {"a": 0.5}})
    assert load_cache(p, "k1")["targets"] == {"a": 0.5}
    with caplog.at_level(logging.WARNING):
        assert load_cache(p, "k2") is None
    assert "stale" in caplog.text
    blob = json.loads(p.read_text())
    blob["body"]["targets"]["a"] = 0.9  # edited by hand: checksum no longer matches
    p.write_text(json.dumps(blob))
    with caplog.at_level(logging.WARNING):
        assert load_cache(p, "k1") is None
    assert "corrupt" in caplog.text
    p.write_text("{not json")
    assert load_cache(p, "k1") is None


def test_build_targets_end_to_end_on_tiny_model_and_reuses_cache(tiny_model_dir, qa_rows, tmp_path, monkeypatch):
    from calibmodule import targets as T
    from calibmodule.models import load_policy, load_tokenizer
    from calibmodule.sampling import TokenSpec

    tok = load_tokenizer(tiny_model_dir)
    model = load_policy(tiny_model_dir).eval()
    spec = TokenSpec.from_tokenizer(tok, model.config.vocab_size)
    cfg = EntropyTargetConfig(num_samples=3, batch_size=2, cache_dir=str(tmp_path), holdout_fraction=0.0)
    body = build_targets(model, tok, spec, qa_rows, cfg, "constrained", 4, {"path": "tiny"}, tmp_path)
    assert set(body["targets"]) == {r["id"] for r in qa_rows}
    assert all(0 < v < 1 for v in body["targets"].values())
    assert all(0 <= s["kernel_entropy"] <= 1 for s in body["scored"])
    calls = []
    monkeypatch.setattr(T, "score_questions", lambda *a, **k: calls.append(1))
    again = build_targets(model, tok, spec, qa_rows, cfg, "constrained", 4, {"path": "tiny"}, tmp_path)
    assert again["targets"] == body["targets"] and not calls  # served from the cache


def test_refitted_targets_follow_the_current_policys_rollouts(tiny_model_dir):
    from types import SimpleNamespace

    from calibmodule.entropy_platt import EntropyPlattModule

    def module(**targets):
        m = EntropyPlattModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=3,
                               targets={"num_samples": 2, "features": ["kernel_entropy"], **targets})
        m.targets = {"a": 0.5, "b": 0.5, "c": 0.5}
        return m

    sure = ["Paris"] * 4  # one answer four times: entropy 0, all right
    unsure = ["Paris", "Lyon", "Marseille", "Twelve"]  # four answers: high entropy, all wrong
    batch = {"id": ["a", "b"], "question": ["q", "q"]}
    r = SimpleNamespace(answers=sure + unsure, n=4)
    correct = {"correct": torch.tensor([1.0] * 4 + [0.0] * 4)}
    fixed = module()  # refit_window 0: the stage-2 table, whatever the rollouts
    assert fixed.per_question_targets(batch, r, correct).tolist() == [0.5, 0.5]
    waiting = module(refit_window=64, refit_min=16)  # 8 rollouts in the window < 16: still the table
    assert waiting.per_question_targets(batch, r, correct).tolist() == [0.5, 0.5] and len(waiting._window[1]) == 8
    m = module(refit_window=12, refit_min=8)
    t = m.per_question_targets(batch, r, correct)
    assert t[0] > 0.9 and t[1] < 0.1  # Platt fitted on these rollouts: low entropy -> right
    # unlabelled questions add nothing to the window; the window keeps the last refit_window rollouts
    m.per_question_targets({"id": ["c", "a"], "question": ["q", "q"], "labelled": [False, True]},
                           SimpleNamespace(answers=unsure + sure, n=4), {"correct": torch.tensor([1.0] * 4 + [0.0] * 4)})
    x, y = m._window
    assert len(y) == 12 and y[-4:].tolist() == [0.0] * 4 and x[-1, 0] < 0.05  # "a", labelled: 4 rows, entropy ~0
    with pytest.raises(ValueError, match="refit_window"):
        EntropyTargetConfig(refit_window=-1)


def test_refitted_targets_per_answer_read_each_answers_likelihood(tiny_model_dir):
    """targets.answer_features: two questions with the same answer spread (same entropy); within each, the
    answers the model gave with high token log-probs were right and the low ones wrong. Per-question targets
    cannot tell them apart; per-answer targets do, one per rollout."""
    from types import SimpleNamespace

    from calibmodule.entropy_platt import EntropyPlattModule

    def module(**targets):
        m = EntropyPlattModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=3, confidence_head=True,
                               targets={"num_samples": 2, "features": ["kernel_entropy"], "refit_window": 16,
                                        "refit_min": 8, **targets})
        m.targets = {"a": 0.5, "b": 0.5}
        return m

    batch = {"id": ["a", "b"], "question": ["q", "q"]}
    sure, unsure = [-0.1, -0.2, 0.3], [-3.0, -5.0, 0.3]  # (mean, min token log-prob, length / 10)
    feats = torch.tensor([sure, sure, unsure, unsure] * 2)
    r = SimpleNamespace(answers=["Paris", "Paris", "Lyon", "Lyon"] * 2, n=4, answer_feats=feats)
    correct = {"correct": torch.tensor([1.0, 1.0, 0.0, 0.0] * 2)}
    per_question = module().per_question_targets(batch, r, correct)
    assert per_question.shape == (2,) and torch.allclose(per_question, torch.full((2,), 0.5), atol=0.05)
    m = module(answer_features=True)
    t = m.per_question_targets(batch, r, correct)
    assert t.shape == (8,) and (t[[0, 1, 4, 5]] > 0.8).all() and (t[[2, 3, 6, 7]] < 0.2).all()
    assert m._window[0].shape == (8, 4)  # entropy + 3 answer features per rollout
    from calibmodule.signals import CalibratedTarget

    assert CalibratedTarget()(r, batch, m, correct).shape == (8,)  # per answer, not repeated
    ckpt = {"state_dict": {}}
    m.on_save_checkpoint(ckpt)
    other = module()  # resumed with answer_features off: the saved window's rows do not fit its Platt
    other.on_load_checkpoint(ckpt)
    assert other._window[0].shape == (0, 1) and other.targets == m.targets
    same = module(answer_features=True)
    same.on_load_checkpoint(ckpt)
    assert torch.equal(same._window[0], m._window[0])
    with pytest.raises(ValueError, match="answer_features needs"):
        EntropyPlattModule(model=tiny_model_dir, confidence_head=False, targets={"answer_features": True})


def test_an_unwritable_cache_dir_fails_before_sampling_and_a_failed_write_keeps_the_table(tmp_path, monkeypatch, caplog):
    from calibmodule import targets as T

    blocker = tmp_path / "file"
    blocker.write_text("")  # a file where the cache folder should be
    calls = []
    monkeypatch.setattr(T, "score_questions", lambda *a, **k: calls.append(1) or [])
    cfg = EntropyTargetConfig(num_samples=3, cache_dir=str(blocker / "sub"))
    with pytest.raises(ValueError, match=r"targets\.cache_dir: cannot write the target table to .*file/sub"):
        build_targets(None, None, None, [{"id": "a", "question": "Q?", "answers": ["A"]}], cfg, "constrained", 4,
                      {"path": "tiny"}, tmp_path)
    assert not calls  # nothing was sampled, so nothing was lost
    with caplog.at_level(logging.WARNING):
        save_cache(blocker / "sub" / "t.json", {"key": "k", "targets": {}})  # after sampling: warn, keep going
    assert "training goes on with the table in memory" in caplog.text


def test_a_bad_embedder_names_the_field():
    from calibmodule.embeddings import load_embedder
    from calibmodule.models import ModelLoadError

    with pytest.raises(ModelLoadError, match=r"targets\.embedder: could not load sentence-transformers model '/nope'"):
        load_embedder("/nope")
