import lightning as L
import pytest
import torch

from calibmodule.rl import RLCalibrationModule
from datamodules.qa import QADataModule, collate


class _ListDM(L.LightningDataModule):
    def __init__(self, rows, batch_size=2):
        super().__init__()
        self.rows, self.bs = rows, batch_size

    def _dl(self):
        from torch.utils.data import DataLoader

        return DataLoader(self.rows, batch_size=self.bs, collate_fn=collate)

    train_dataloader = val_dataloader = test_dataloader = predict_dataloader = _dl


def _trainer(tmp_path, steps=2, callbacks=()):
    return L.Trainer(accelerator="cpu", max_steps=steps, logger=False, enable_checkpointing=False,
                     enable_progress_bar=False, enable_model_summary=False, num_sanity_val_steps=0,
                     limit_val_batches=1, default_root_dir=tmp_path, callbacks=list(callbacks))


def test_training_step_changes_every_trainable_param(tiny_module, qa_rows, tmp_path):
    before = {n: p.detach().clone() for n, p in tiny_module.named_parameters() if p.requires_grad}
    frozen = {n: p.detach().clone() for n, p in tiny_module.named_parameters() if not p.requires_grad}
    assert before and all("lora_" in n or n.startswith("conf_head.") for n in before)
    assert any(n.startswith("conf_head.") for n in before) and any("lora_" in n for n in before)
    _trainer(tmp_path).fit(tiny_module, _ListDM(qa_rows))
    after = dict(tiny_module.named_parameters())
    # lora_A of a module whose lora_B is still 0 after step 1 gets grad only from step 2 on: all change in 2 steps
    changed = [n for n in before if not torch.equal(before[n], after[n].detach())]
    assert changed == list(before), set(before) - set(changed)
    assert all(torch.equal(frozen[n], after[n].detach()) for n in frozen)


def test_validate_and_test_log_calibration_metrics(tiny_module, qa_rows, tmp_path):
    t = _trainer(tmp_path)
    out = t.validate(tiny_module, _ListDM(qa_rows, 4), verbose=False)[0]
    assert {"val/cal/ECE", "val/cal/Brier", "val/sc/AUROC", "val/acc", "val/cal/gap", "val/unparsed"} <= set(out)
    assert 0 <= out["val/cal/ECE"] <= 1 and out["val/unparsed"] == 0
    out = t.test(tiny_module, _ListDM(qa_rows, 4), verbose=False)[0]
    assert "test/cal/ECE" in out
    preds = t.predict(tiny_module, _ListDM(qa_rows, 4))
    assert len(preds[0]) == 4 and {"answer", "confidence", "correct"} <= set(preds[0][0])


def test_stability_signal_feeds_reward_and_logs(tiny_model_dir, qa_rows, tmp_path):
    # brier_stability alone: the built-in Stability signal is added, computed every step, logged
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=3, max_answer_tokens=3,
                            reward={"correctness": 0, "brier_correct": 0, "brier_stability": 1.0})
    assert [s.name for s in m.signals] == ["correct", "stability"]
    t = _trainer(tmp_path, 2)
    t.fit(m, _ListDM(qa_rows))
    logged = t.callback_metrics
    assert 0 <= logged["train/stability"] <= 1 and "train/stability_corr" in logged
    assert 0 < logged["train/reward_brier_stability"] <= 1


def test_reward_uses_the_configured_signal_values(tiny_model_dir, qa_rows):
    """A user signal with a known value reaches the reward exactly: Brier vs a constant 1.0 signal."""
    from calibmodule.rewards import brier_vs
    from calibmodule.signals import Signal

    class One(Signal):
        name, terms = "one", {"brier_one": brier_vs("one")}

        def __call__(self, rollouts, batch, module, values):
            return torch.ones(len(rollouts.answers))

    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, signals=[One()],
                            reward={"brier_one": 1.0}, confidence_objective="sampled")
    from calibmodule.sampling import sample_rollouts

    torch.manual_seed(0)
    r = sample_rollouts(m.policy, m.tokenizer, m.spec, m.prompts([q["question"] for q in qa_rows[:2]]), 2, m.sampler)
    values = m.compute_signals(r, {"question": [q["question"] for q in qa_rows[:2]],
                                   "answers": [q["answers"] for q in qa_rows[:2]]})
    from calibmodule.rewards import total_reward

    total, _ = total_reward(m.weights, r.confidences, values, 0.0, m.terms)
    assert torch.allclose(total, 1 - (r.confidences - 1) ** 2)


def test_reference_logprobs_are_the_base_models(tiny_model_dir, qa_rows, tmp_path):
    """The KL reference is the same network with adapters off: after training, its log-probs equal a fresh
    base model's, and the trained policy's differ."""
    from calibmodule.models import load_policy
    from calibmodule.logprobs import completion_logprobs
    from calibmodule.sampling import sample_rollouts

    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, kl_beta=0.1, lr=5e-2)
    assert m.ref_policy is None  # no second model copy with LoRA
    t = _trainer(tmp_path, 3)
    t.fit(m, _ListDM(qa_rows))
    assert "train/kl" in t.callback_metrics
    base = load_policy(tiny_model_dir, lora=None).eval()
    r = sample_rollouts(m.policy.eval(), m.tokenizer, m.spec, m.prompts(["What is the capital of Peru?"]), 2, m.sampler)
    with torch.no_grad():
        with m._reference():
            ref = completion_logprobs(m.policy, r, m.spec)
        trained = completion_logprobs(m.policy, r, m.spec)
        want = completion_logprobs(base, r, m.spec)
    assert torch.allclose(ref, want, atol=1e-5)
    assert not torch.allclose(trained, want, atol=1e-3)


@pytest.mark.parametrize("kwargs,match", [({"num_rollouts": 1}, "num_rollouts"), ({"lr": 0.0}, "lr"),
                                          ({"temperature": -1.0}, "temperature"), ({"confidence_tau": 0.0}, "tau"),
                                          ({"reward": {"brier_stabilty": 1.0}}, "unknown reward term"),
                                          ({"max_answer_tokens": 0}, "max_answer_tokens")])
def test_bad_module_numbers_fail_at_construction(tiny_model_dir, kwargs, match):
    with pytest.raises(ValueError, match=match):
        RLCalibrationModule(model=tiny_model_dir, **kwargs)


def test_checkpoint_holds_only_trainable_weights(tiny_module, qa_rows, tmp_path):
    t = L.Trainer(accelerator="cpu", max_steps=1, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
                  default_root_dir=tmp_path)
    t.fit(tiny_module, _ListDM(qa_rows))
    ckpt = torch.load(next(tmp_path.rglob("*.ckpt")), weights_only=False)
    assert ckpt["state_dict"] and all("lora_" in k or k.startswith("conf_head.") for k in ckpt["state_dict"])
    assert "optimizer_states" in ckpt


def test_world_facts_datamodule_fit_takes_its_steps(tiny_model_dir, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3)
    dm = QADataModule(batch_size=2, eval_batch_size=4, max_val=4, max_test=4)
    t = _trainer(tmp_path, 2)
    t.fit(m, dm)
    assert t.global_step == 2
    assert {"train/acc", "train/reward", "train/confidence_loss", "train/truncated"} <= set(t.callback_metrics)
    out = t.validate(m, dm, verbose=False)[0]
    assert {"val/acc_all", "val/truncated", "val/cal/ECE", "val/greedy/cal/ECE"} <= set(out)


def test_tags_mode_with_nothing_parseable_validates_without_crash(tiny_model_dir, qa_rows, tmp_path):
    m = RLCalibrationModule(model=tiny_model_dir, confidence_mode="tags", num_rollouts=2, max_answer_tokens=4)
    out = _trainer(tmp_path).validate(m, _ListDM(qa_rows, 4), verbose=False)[0]
    assert out["val/unparsed"] == 1.0 and "val/acc_all" in out
    assert "val/cal/ECE" not in out  # nothing to calibrate: not reported, not a crash
    assert not any(k.startswith("val/greedy/") for k in out)  # no second read-out in tags mode
    _trainer(tmp_path, 1).fit(m, _ListDM(qa_rows))  # and training gets the defined format reward


def test_gold_answers_of_unlabelled_questions_never_reach_the_loss(tiny_model_dir):
    """labelled_fraction: an unlabelled question's reward uses only label-free terms, so changing its gold
    answer (here: to the very answer the model gives, which flips its correctness) leaves the loss
    bit-identical; the same change on a labelled question changes the loss."""
    import copy

    import calibmodule.rl as rl
    from calibmodule.answers import grade_batch

    base = RLCalibrationModule(model=tiny_model_dir, num_rollouts=3, max_answer_tokens=4,
                               reward={"correctness": 1.0, "brier_correct": 1.0},
                               unlabelled_reward={"brier_stability": 1.0})
    qs = ["What is the capital of France?", "What is the capital of Peru?"]
    seen = {}
    sample = rl.sample_rollouts

    def loss(gold: list[list[str]], labelled: list[bool]) -> torch.Tensor:
        m = copy.deepcopy(base)
        torch.manual_seed(0)
        out = m.training_step({"question": qs, "answers": gold, "kind": [None, None], "labelled": labelled}, 0)
        return out.detach()

    def recording(*a, **k):
        r = sample(*a, **k)
        seen["answers"] = r.answers
        return r

    rl.sample_rollouts = recording
    try:
        wrong = [["zzz"], ["zzz"]]
        l0 = loss(wrong, [True, False])
        own = next(a for a in seen["answers"][3:] if a.strip())  # an answer the model gives to question 2
        right = [["zzz"], [own]]
        assert grade_batch([own], {"question": ["q"], "answers": [[own]]})[0]  # it is graded right under that gold answer
        assert torch.equal(loss(right, [True, False]), l0)  # unlabelled: nothing changes
        assert not torch.equal(loss(right, [True, True]), loss(wrong, [True, True]))  # labelled: it does
    finally:
        rl.sample_rollouts = sample


def test_unlabelled_reward_rejects_terms_that_need_labels(tiny_model_dir):
    with pytest.raises(ValueError, match="unlabelled_reward.brier_correct needs gold answers"):
        RLCalibrationModule(model=tiny_model_dir, unlabelled_reward={"brier_correct": 1.0})


def test_head_is_fitted_by_its_own_optimizer_on_the_replay_rows(tiny_model_dir, qa_rows, tmp_path):
    torch.manual_seed(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=6, confidence_head_steps=7,
                            confidence_head_final_steps=5)
    opt = m.configure_optimizers()
    head = {id(p) for p in m.conf_head.parameters()}
    assert not any(id(p) in head for g in opt.param_groups for p in g["params"])  # not in the LM's optimizer
    losses = []
    fit = m.fit_head
    m.fit_head = lambda steps=None: (losses.append((m._replay_loss().item(), fit(steps).item(), steps))
                                     or torch.tensor(losses[-1][1]))
    t = L.Trainer(accelerator="cpu", max_steps=2, logger=False, enable_progress_bar=False, enable_model_summary=False,
                  num_sanity_val_steps=0, limit_val_batches=0, default_root_dir=tmp_path)
    t.fit(m, _ListDM(qa_rows))
    assert len(losses) == 2 and all(after < before for before, after, _ in losses)  # each step's fit lowers its loss
    assert [n for *_, n in losses] == [7, 7 + 5]  # the last step also takes the final steps
    assert len(m._replay["grid"]) == 2 * 2 * 4  # both steps' rows are kept
    ckpt = torch.load(next(tmp_path.rglob("*.ckpt")), weights_only=False)
    state = ckpt["confidence_head_optimizer"]["state"]
    assert state and all(int(s["step"]) == 2 * 7 + 5 for s in state.values())  # in the last checkpoint
    # a fit bounded by epochs: the final steps come after the last batch of the last epoch
    m1 = RLCalibrationModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=6, confidence_head_steps=3,
                             confidence_head_final_steps=4)
    steps = []
    fit1 = m1.fit_head
    m1.fit_head = lambda n=None: steps.append(n) or fit1(n)
    L.Trainer(accelerator="cpu", max_epochs=1, limit_train_batches=2, logger=False, enable_progress_bar=False,
              enable_checkpointing=False, enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0,
              default_root_dir=tmp_path / "epochs").fit(m1, _ListDM(qa_rows))
    assert steps == [3, 3 + 4]
    with pytest.raises(ValueError, match="confidence_head_final_steps"):
        RLCalibrationModule(model=tiny_model_dir, confidence_head_final_steps=-1)
    # 0: one step shared with the LM's optimizer, as a second parameter group
    m0 = RLCalibrationModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=6, confidence_head_steps=0)
    groups = m0.configure_optimizers().param_groups
    assert len(groups) == 2 and {id(p) for p in groups[1]["params"]} == {id(p) for p in m0.conf_head.parameters()}
    with pytest.raises(ValueError, match="confidence_head_steps"):
        RLCalibrationModule(model=tiny_model_dir, confidence_head_steps=-1)


def test_head_dropout_acts_in_the_replay_fit_only(tiny_model_dir, qa_rows):
    """confidence_head_dropout randomises the replay loss (the fit), never what is sampled or evaluated."""
    torch.manual_seed(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=4, confidence_head_dropout=0.5)
    torch.nn.init.normal_(m.conf_head.proj.weight, std=0.5)
    m.training_step(collate(qa_rows[:2]), 0)  # fills the replay rows
    g = torch.get_rng_state()
    ckpt = {"state_dict": {}}
    m.on_save_checkpoint(ckpt)
    a, b = m._replay_loss().item(), m._replay_loss().item()
    assert a != b  # a new mask each call
    assert torch.equal(torch.get_rng_state(), g)  # from the head's own stream: the rollouts' stream is untouched
    m.on_load_checkpoint(ckpt)  # resumed: the masks continue from the checkpointed stream
    assert m._replay_loss().item() == a
    m.hparams.confidence_head_dropout = 0.0
    assert m._replay_loss().item() == m._replay_loss().item()
    m.hparams.confidence_head_dropout = 0.5
    q = [r["question"] for r in qa_rows[:3]]
    one, two = m.answer(q), m.answer(q)
    assert torch.equal(one["confidence"], two["confidence"])  # evaluation reads the whole hidden state
    for bad in (-0.1, 1.0):
        with pytest.raises(ValueError, match="confidence_head_dropout"):
            RLCalibrationModule(model=tiny_model_dir, confidence_head_dropout=bad)


def test_sampling_prepack_is_its_own_switch(tiny_model_dir, monkeypatch):
    """Sampling on prepacked weights no longer depends on activation checkpointing: ``sampling_prepack``
    decides, for rollouts and for greedy evaluation alike."""
    import calibmodule.evaluation as evaluation
    from calibmodule.models import sampling_weights

    seen = []

    def spy(model, dtype=None, prepack=True):
        seen.append(prepack)
        return sampling_weights(model, dtype, prepack=prepack)

    monkeypatch.setattr(evaluation, "sampling_weights", spy)
    for kwargs, want in (({"activation_checkpointing": True}, True), ({"sampling_prepack": False}, False)):
        m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, **kwargs)
        assert m.prepack is want
        m.answer(["What is the capital of France?"])
        assert seen[-1] is want


def test_greedy_evaluation_uses_its_own_answer_budget(tiny_model_dir, monkeypatch):
    """Training rollouts stop at ``max_answer_tokens``; the greedy answer of validation/test/predict at
    ``eval_max_answer_tokens`` (default: the same)."""
    import calibmodule.evaluation as evaluation

    budgets, real = [], evaluation.sample_rollouts

    def spy(model, tokenizer, spec, prompts, n, cfg, **kw):
        budgets.append((cfg.max_answer_tokens, cfg.temperature))
        return real(model, tokenizer, spec, prompts, n, cfg, **kw)

    monkeypatch.setattr(evaluation, "sample_rollouts", spy)
    for extra, want in (({}, 3), ({"eval_max_answer_tokens": 7}, 7)):
        m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=3, **extra)
        m.answer(["What is the capital of France?"])
        assert budgets[-1] == (want, 0.0) and m.sampler.max_answer_tokens == 3


def test_greedy_rows_add_the_steps_greedy_answers_to_the_head_replay(tiny_model_dir, qa_rows):
    """confidence_head_greedy_rows: each step's questions answered greedily join the head's rows (features of the
    greedy answer, digit rewards from its grade), without touching the rollouts' random stream."""
    torch.manual_seed(0)
    m = RLCalibrationModule(model=tiny_model_dir, num_rollouts=2, max_answer_tokens=4, eval_max_answer_tokens=5,
                            confidence_head_greedy_rows=True)
    batch = collate(qa_rows[:3])
    m.training_step(batch, 0)
    assert len(m._replay["grid"]) == 3 * 2 + 3  # the sampled rows, then one greedy row per question
    feats, grid = m._greedy_rows(batch, m.prompts(batch["question"]))
    g = m.answer(batch["question"])  # the evaluation's greedy answers: the same answers, graded the same
    assert torch.allclose(feats["answer_feats"], m._replay["answer_feats"][-3:])
    assert torch.equal(grid, m._replay["grid"][-3:])
    from calibmodule.answers import grade_batch
    right = torch.tensor(grade_batch(g["answers"], batch, 1), dtype=torch.float)
    brier_9_minus_0 = (1 - (0.95 - right) ** 2) - (1 - (0.05 - right) ** 2)  # correctness is the same at every digit
    assert torch.allclose(grid[:, 9] - grid[:, 0], brier_9_minus_0)
    # a reward that reads a signal of a rollout group (stability) is refused by name
    with pytest.raises(ValueError, match=r"confidence_head_greedy_rows.*\['stability'\]"):
        RLCalibrationModule(model=tiny_model_dir, confidence_head_greedy_rows=True,
                            reward={"correctness": 1.0, "brier_stability": 1.0})
    with pytest.raises(ValueError, match="confidence_head_greedy_rows"):
        RLCalibrationModule(model=tiny_model_dir, confidence_head_greedy_rows=True, confidence_head=False)


def test_a_diverged_step_stops_the_run_before_its_update_and_keeps_no_nan_checkpoint(tiny_module, qa_rows, tmp_path,
                                                                                       monkeypatch):
    """A NaN loss (here from step 2 on; in a real run a learning rate set too high) stops fit with an error naming
    the step and the rates, before the optimizer applies it; no on_exception.ckpt of the diverged weights is written
    (``fit --ckpt_path last`` would resume from it)."""
    import calibmodule.rl as rl
    from calibmodule.divergence import TrainingDiverged
    from callbacks.exception_checkpoint import FILENAME, CheckpointOnException

    real, calls = rl.policy_gradient_loss, []

    def nan_from_step_2(*args, **kwargs):
        calls.append(1)
        loss = real(*args, **kwargs)
        return loss * float("nan") if len(calls) >= 2 else loss

    monkeypatch.setattr(rl, "policy_gradient_loss", nan_from_step_2)
    t = L.Trainer(accelerator="cpu", max_steps=3, logger=False, enable_progress_bar=False, enable_model_summary=False,
                  num_sanity_val_steps=0, limit_val_batches=0, default_root_dir=tmp_path,
                  callbacks=[L.pytorch.callbacks.ModelCheckpoint(dirpath=tmp_path / "ckpt", save_last=True,
                                                                 every_n_train_steps=1), CheckpointOnException()])
    with pytest.raises(TrainingDiverged, match=r"training diverged at step 2: the loss \(nan\) .*model\.lr \(0\.01\)"):
        t.fit(tiny_module, _ListDM(qa_rows))
    assert t.global_step == 1  # step 2's update never ran
    assert (tmp_path / "ckpt" / "last.ckpt").is_file() and not (tmp_path / "ckpt" / FILENAME).exists()
    assert all(torch.isfinite(p).all() for p in tiny_module.parameters())
