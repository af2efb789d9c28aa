import lightning as L
import torch

from calibmodule.alien import AlienModule, EntropyHead
from tests.test_rl_module import _ListDM


def test_head_is_identity_on_entropy_at_init():
    head = EntropyHead(16)
    ent, hid = torch.rand(5) * 3, torch.randn(5, 16)
    assert torch.allclose(head.score(ent, hid), ent, atol=1e-5)
    assert head.anchor().item() == 0.0


def test_alien_head_init_equals_predictive_entropy_and_is_tiny(tiny_model_dir, qa_rows):
    m = AlienModule(model=tiny_model_dir, max_answer_tokens=4)
    batch = {k: [r[k] for r in qa_rows] for k in ("id", "question", "answers")}
    ent, hid, wrong = m.features(batch)
    assert torch.allclose(m.head.score(ent, hid), ent, atol=1e-5)
    # the entropy feature is the mean token entropy of the greedy answer: recompute it directly
    assert (ent > 0).all() and (ent <= torch.log(torch.tensor(float(m.backbone.config.vocab_size)))).all()
    n_head = sum(p.numel() for p in m.head.parameters())
    assert n_head == m.backbone.config.hidden_size + 4
    assert not any(p.requires_grad for p in m.backbone.parameters())


def test_alien_head_params_are_under_1e4_of_default_model(smollm_dir):
    from calibmodule.models import load_policy

    lm = load_policy(str(smollm_dir))
    total = sum(p.numel() for p in lm.parameters())
    head = sum(p.numel() for p in EntropyHead(lm.config.hidden_size).parameters())
    assert total > 100_000_000 and head / total < 1e-4


def test_alien_fit_trains_only_head_and_saves_only_head(tiny_model_dir, qa_rows, tmp_path):
    m = AlienModule(model=tiny_model_dir, max_answer_tokens=4, lr=0.1)
    backbone_before = {n: p.clone() for n, p in m.backbone.named_parameters()}
    t = L.Trainer(accelerator="cpu", max_epochs=3, logger=False, enable_progress_bar=False,
                  enable_model_summary=False, num_sanity_val_steps=0, default_root_dir=tmp_path)
    t.fit(m, _ListDM(qa_rows, 2))
    assert not torch.equal(m.head.w, torch.zeros_like(m.head.w))
    assert all(torch.equal(p, backbone_before[n]) for n, p in m.backbone.named_parameters())
    out = t.validate(m, _ListDM(qa_rows, 4), verbose=False)[0]
    assert {"val/cal/ECE", "val/sc/AUROC", "val/entropy/cal/ECE", "val/entropy/sc/AUROC"} <= set(out)
    ckpt = torch.load(next(tmp_path.rglob("*.ckpt")), weights_only=False)
    assert set(ckpt["state_dict"]) == {f"head.{k}" for k in ("alpha", "w", "b", "gamma", "beta")}
    m.save_head(tmp_path / "head.pt")
    fresh = AlienModule(model=tiny_model_dir, max_answer_tokens=4)
    fresh.load_head(tmp_path / "head.pt")
    assert torch.equal(fresh.head.w, m.head.w)


def test_alien_stops_at_a_nan_loss_naming_its_learning_rate(tiny_model_dir, qa_rows, tmp_path):
    """A head weight gone NaN (as a learning rate set too high leaves it) stops fit at the next step, by name."""
    import pytest

    from calibmodule.divergence import TrainingDiverged

    m = AlienModule(model=tiny_model_dir, max_answer_tokens=4, lr=0.1)
    with torch.no_grad():
        m.head.w[0] = float("nan")
    t = L.Trainer(accelerator="cpu", max_steps=2, logger=False, enable_progress_bar=False, enable_checkpointing=False,
                  enable_model_summary=False, num_sanity_val_steps=0, limit_val_batches=0, default_root_dir=tmp_path)
    with pytest.raises(TrainingDiverged, match=r"training diverged at step 1: the loss \(nan\).*model\.lr \(0\.1\)"):
        t.fit(m, _ListDM(qa_rows, 2))
    assert t.global_step == 0
