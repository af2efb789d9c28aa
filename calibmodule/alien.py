"""AlienModule: ALIEN-style entropy-initialised uncertainty head on a frozen LM (baseline).

Algorithm (Zabolotnyi et al., "ALIEN: Aligned Entropy Head"), as implemented here:
  * The frozen LM answers each question greedily. For the answer tokens t we read the LM's
    predictive entropy H_t (of the distribution that produced token t) and its last hidden state
    h_t (RMS-normalised, no parameters). Features per answer: H̄ = mean_t H_t, h̄ = mean_t h_t.
  * Head: score = α·H̄ + w·h̄ + b  with α=1, w=0, b=0 at init, so at step 0 the score *is* the
    predictive entropy. A Platt-style read-out p_wrong = σ(γ·score + β) turns it into a
    probability of error (confidence = 1 − p_wrong). Head + read-out = D + 4 parameters.
  * Loss: BCE(p_wrong, answer is wrong) + two regularisers that keep the head near the entropy it
    started from:
      (1) anchor (L2-SP): λ_anchor · (‖w‖² + (α−1)² + b²), a penalty on leaving the init;
      (2) consistency: λ_cons · mean (score − H̄)², the score stays on the entropy scale.
  * Baseline reported beside it: raw predictive entropy H̄, Platt-calibrated on the training set.

Why these two: the head's D hidden-state weights can fit 600 labels far too well; (1) shrinks
what it learns toward "entropy only", (2) keeps its score readable as an entropy. Measured
(``benchmarks/alien_regularisers.py``, SmolLM2, 600 train / 200 val / 352 test questions):
without either the head reaches test AUROC 0.91 but ECE 0.067; λ_anchor=0.1, λ_cons=0.01 (best
val Brier, now the default) gives test AUROC 0.918, ECE 0.029, Brier 0.067, against raw entropy
+ Platt at AUROC 0.661, ECE 0.014, Brier 0.097.

Deviations / what we could not check: we could not read the paper's method section here, so the
exact head shape and regularisers are our reading of "a small head initialised to produce the
entropy, fine-tuned with two regularisation mechanisms"; the paper's experiments are
classification/NER, this is short-answer generation (mean token entropy over the answer).

Run: ``python -m calibmodule fit --config configs/alien.yaml``
"""

from __future__ import annotations

import warnings
from pathlib import Path

import lightning as L
import torch
import torch.nn.functional as F
from torch import nn

from calibmodule.answers import grade_batch
from calibmodule.batch import drop_padding
from calibmodule.divergence import stop_if_diverged
from calibmodule.metrics import calibration_metrics
from calibmodule.models import (DEFAULT_MODEL, check_answer_budget, check_checkpoint_fits, check_prompt_lengths, load_policy,
                                load_tokenizer)
from calibmodule.platt import PlattModel, fit_platt
from calibmodule.prompting import build_prompt
from calibmodule.sampling import ANSWER_TOKEN, SamplerConfig, TokenSpec, sample_rollouts


class EntropyHead(nn.Module):
    """score = α·H̄ + w·h̄ + b, initialised to the identity on H̄; read-out p_wrong = σ(γ·score + β)."""

    def __init__(self, hidden_size: int) -> None:
        super().__init__()
        self.alpha = nn.Parameter(torch.ones(()))
        self.w = nn.Parameter(torch.zeros(hidden_size))
        self.b = nn.Parameter(torch.zeros(()))
        self.gamma = nn.Parameter(torch.ones(()))
        self.beta = nn.Parameter(torch.zeros(()))

    def score(self, ent: torch.Tensor, hid: torch.Tensor) -> torch.Tensor:
        """ent (B,), hid (B, D) -> (B,)"""
        return self.alpha * ent + hid @ self.w + self.b

    def p_wrong(self, score: torch.Tensor) -> torch.Tensor:
        return torch.sigmoid(self.gamma * score + self.beta)

    def anchor(self) -> torch.Tensor:
        return (self.w**2).sum() + (self.alpha - 1) ** 2 + self.b**2


class AlienModule(L.LightningModule):
    def __init__(self, model: str = DEFAULT_MODEL, max_answer_tokens: int = 12, lr: float = 1e-2,
                 anchor_weight: float = 1e-1, consistency_weight: float = 1e-2) -> None:
        """
        Args:
            model: frozen backbone (HF id/path or ``smollm2-135m-instruct``).
            max_answer_tokens: greedy answer length limit.
            lr: Adam learning rate of the head.
            anchor_weight: λ of the L2 pull of the head parameters back to their entropy-reproducing init.
            consistency_weight: λ of the squared gap between head score and raw predictive entropy.
        """
        super().__init__()
        self.save_hyperparameters()
        for name, ok in (("max_answer_tokens", max_answer_tokens >= 1), ("lr", 0 < lr < float("inf")),
                         ("anchor_weight", 0 <= anchor_weight < float("inf")),
                         ("consistency_weight", 0 <= consistency_weight < float("inf"))):
            if not ok:  # NaN fails every rule
                raise ValueError(f"model.{name} is out of range: {locals()[name]!r} (see --help)")
        self.tokenizer = load_tokenizer(model)
        self.backbone = load_policy(model, lora=None).eval().requires_grad_(False)
        # the frozen LM stays in eval mode on purpose; Lightning warns of every such module at the start of training
        warnings.filterwarnings("ignore", message=r"Found \d+ module\(s\) in eval mode at the start of training")
        check_answer_budget(self.backbone.config, max_answer_tokens)
        self.spec = TokenSpec.from_tokenizer(self.tokenizer, self.backbone.config.vocab_size)
        self.head = EntropyHead(self.backbone.config.hidden_size)
        self.val_metrics = calibration_metrics().clone(prefix="val/")
        self.val_entropy = calibration_metrics().clone(prefix="val/entropy/")
        self.test_metrics = calibration_metrics().clone(prefix="test/")
        self.test_entropy = calibration_metrics().clone(prefix="test/entropy/")
        self.entropy_platt: PlattModel | None = None
        self._cache: dict[str, tuple[float, torch.Tensor, bool]] = {}
        self.strict_loading = False

    # ---- frozen features ------------------------------------------------------------------------
    @torch.no_grad()
    def features(self, batch: dict) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B,) mean answer-token entropy, (B, D) mean normalised hidden state, (B,) wrong-label.
        The backbone is frozen and decoding greedy, so results are cached per question id."""
        todo = [i for i, q in enumerate(batch["id"]) if q not in self._cache]
        if todo:
            qs = [batch["question"][i] for i in todo]
            prompts = [build_prompt(self.tokenizer, q, "constrained") for q in qs]
            r = sample_rollouts(self.backbone, self.tokenizer, self.spec, prompts, 1,
                                SamplerConfig("constrained", self.hparams.max_answer_tokens, 0.0, 0.0))
            ids = torch.cat([r.prompt_ids, r.completion_ids], 1)
            mask = torch.cat([r.prompt_mask, r.completion_mask], 1)
            out = self.backbone(input_ids=ids, attention_mask=mask, position_ids=(mask.cumsum(-1) - 1).clamp(min=0),
                                output_hidden_states=True)
            P = r.prompt_ids.shape[1]
            logits = out.logits[:, P - 1 : -1].float()  # (B, C, V): distribution of each completion token
            hid = out.hidden_states[-1][:, P - 1 : -1].float()  # (B, C, D)
            logp = F.log_softmax(logits, -1)
            ent = -(logp.exp() * logp).sum(-1)  # (B, C)
            m = (r.kinds == ANSWER_TOKEN).float()  # (B, C)
            denom = m.sum(-1).clamp(min=1)
            ent_mean = (ent * m).sum(-1) / denom
            hid = hid * torch.rsqrt(hid.pow(2).mean(-1, keepdim=True) + 1e-6)
            hid_mean = (hid * m[..., None]).sum(1) / denom[:, None]
            sub = {k: [v[i] for i in todo] for k, v in batch.items() if isinstance(v, list)}
            graded = grade_batch(r.answers, sub) if batch.get("answers") is not None else [None] * len(todo)
            for k, (i, ok) in enumerate(zip(todo, graded)):
                self._cache[batch["id"][i]] = (float(ent_mean[k]), hid_mean[k].cpu(), None if ok is None else not ok,
                                               r.answers[k], r.texts[k])
        rows = [self._cache[q] for q in batch["id"]]
        if batch.get("answers") is not None and any(x[2] is None for x in rows):  # cached unlabelled, now labelled
            for q in batch["id"]:
                self._cache.pop(q, None)
            return self.features(batch)
        ent = torch.tensor([x[0] for x in rows], device=self.device)
        hid = torch.stack([x[1] for x in rows]).to(self.device)
        wrong = torch.tensor([float("nan") if x[2] is None else float(x[2]) for x in rows], device=self.device)
        return ent, hid, wrong

    # ---- training -------------------------------------------------------------------------------
    def setup(self, stage: str) -> None:
        """Before any work: every question the datamodule holds must fit the context with the answer budget."""
        splits = getattr(self.trainer.datamodule, "splits", None) if self._trainer is not None else None
        if isinstance(splits, dict):
            budget = self.hparams.max_answer_tokens + len(self.spec.scaffold_ids) + 3
            check_prompt_lengths(self.tokenizer, self.backbone.config, splits,
                                 lambda q: build_prompt(self.tokenizer, q, "constrained"), budget)

    def on_fit_start(self) -> None:
        """Platt-calibrate the raw-entropy baseline on the training split (features are cached)."""
        dl = self.trainer.datamodule.train_dataloader() if self.trainer.datamodule is not None else None
        if dl is None:
            return
        ents, wrongs = [], []
        for batch in dl:
            e, _, w = self.features(batch)
            ents.append(e.cpu())
            wrongs.append(w.cpu())
        self.entropy_platt = fit_platt(torch.cat(ents)[:, None], 1 - torch.cat(wrongs))

    def training_step(self, batch: dict, batch_idx: int) -> torch.Tensor:
        h = self.hparams
        ent, hid, wrong = self.features(batch)
        score = self.head.score(ent, hid)
        bce = F.binary_cross_entropy_with_logits(self.head.gamma * score + self.head.beta, wrong)
        anchor = self.head.anchor()
        consistency = ((score - ent) ** 2).mean()
        loss = bce + h.anchor_weight * anchor + h.consistency_weight * consistency
        self.log_dict({"train/bce": bce, "train/anchor": anchor, "train/consistency": consistency,
                       "train/loss": loss}, batch_size=len(batch["id"]))
        stop_if_diverged(self, loss)
        return loss

    def configure_optimizers(self):
        return torch.optim.Adam(self.head.parameters(), lr=self.hparams.lr)

    # ---- evaluation -----------------------------------------------------------------------------
    @torch.no_grad()
    def baseline_eval(self, batch: dict) -> dict:
        """Raw predictive entropy, Platt-calibrated on the training split, for reports."""
        ent, _, wrong = self.features(batch)
        if self.entropy_platt is None:
            return None
        return {"confidence": self.entropy_platt.predict(ent[:, None].cpu()), "correct": (1 - wrong).long()}

    def _eval(self, batch: dict, metrics, baseline) -> dict | None:
        batch = drop_padding(batch)  # the DDP sampler's repeated rows count once (datamodules.qa.EvalSampler)
        if batch is None:
            return None
        ent, hid, wrong = self.features(batch)
        conf = 1 - self.head.p_wrong(self.head.score(ent, hid))
        correct = (1 - wrong).long()
        metrics.update(conf, correct)
        self.log_dict(metrics, batch_size=len(batch["id"]))
        if self.entropy_platt is not None:
            baseline.update(self.entropy_platt.predict(ent[:, None].cpu()).to(self.device), correct)
            self.log_dict(baseline, batch_size=len(batch["id"]))
        return {"confidence": conf.detach(), "correct": correct}

    @torch.no_grad()
    def predict_step(self, batch: dict, batch_idx: int) -> list[dict]:
        """One row per question: the frozen LM's greedy answer and the head's confidence that it is right."""
        ent, hid, wrong = self.features(batch)
        conf = (1 - self.head.p_wrong(self.head.score(ent, hid))).tolist()
        rows = []
        for k, q in enumerate(batch["id"]):
            _, _, w, answer, text = self._cache[q]
            row = {"id": q, "question": batch["question"][k], "answer": answer, "confidence": conf[k], "completion": text}
            if w is not None:
                row["correct"] = not w
            rows.append(row)
        return rows

    def validation_step(self, batch: dict, batch_idx: int) -> dict:
        return self._eval(batch, self.val_metrics, self.val_entropy)

    def test_step(self, batch: dict, batch_idx: int) -> dict:
        return self._eval(batch, self.test_metrics, self.test_entropy)

    # ---- head-only checkpoints ------------------------------------------------------------------
    def on_save_checkpoint(self, checkpoint: dict) -> None:
        checkpoint["state_dict"] = {k: v for k, v in checkpoint["state_dict"].items() if k.startswith("head.")}
        checkpoint["entropy_platt"] = self.entropy_platt.to_dict() if self.entropy_platt else None

    def on_load_checkpoint(self, checkpoint: dict) -> None:
        check_checkpoint_fits(self, checkpoint)
        if checkpoint.get("entropy_platt"):
            self.entropy_platt = PlattModel(**checkpoint["entropy_platt"])

    def save_head(self, path: str | Path) -> None:
        """Only the head (D + 4 floats) and the backbone it belongs to."""
        torch.save({"backbone": self.hparams.model, "head": self.head.state_dict()}, path)

    def load_head(self, path: str | Path) -> None:
        blob = torch.load(path, weights_only=True)
        self.head.load_state_dict(blob["head"])
