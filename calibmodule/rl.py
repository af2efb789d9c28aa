"""RLCalibrationModule: GRPO-style RL that makes a model's stated confidence track correctness.

Algorithm (per training batch of B questions):
  1. Sample N rollouts per question from the current policy (``sampling.sample_rollouts``: one
     prefill per question, KV cache repeated N times, all B·N rows decoded together). Each
     rollout is a short answer plus a confidence (constrained digit 0-9, or RLCR-style tags).
  2. Score: correctness by alias match; rollout callbacks (e.g. ``StabilityCallback``) add
     per-question signals; reward = Σ weights·terms (``rewards.total_reward``): correctness,
     Brier vs correctness (RLCR = both), Brier vs stability, Brier vs a calibrated target.
  3. Group-relative advantages (reward − group mean; ``advantage_scale: std`` also divides by the
     group std as in GRPO), clipped policy-gradient loss
     over action tokens (answer tokens + confidence digit; the forced scaffold is not an action),
     optional k3 KL to the reference = the same network with LoRA adapters disabled.
Validation/test: greedy answer; its stated confidence is the expected value of the confidence-digit
distribution (``eval_confidence: expected``) or the greedy digit (``greedy``), the other logged beside
it under ``val/greedy/*``; ECE/Brier/AUROC/gap/accuracy as torchmetrics.

Deviations from the papers:
  * RLCR (Damani et al.) lets the model reason before answering and parses free-text tags; by
    default we use the *constrained* confidence (a digit drawn from the restricted softmax) so a
    135M model always states a valid confidence; ``confidence_mode: tags`` is the RLCR format.
  * One gradient step per batch (GRPO μ=1, TRL's default): the ratio is 1 and the clip is inert;
    ``old_logp`` is the detached current log-prob.
  * Advantages are not divided by the group std by default (Dr. GRPO): with std scaling we measured
    the stated confidence drifting below accuracy (ECE 0.016 at step 15 -> 0.085 at step 30).
  * Stability (the "Semantic Entropy as a Regularizer" blog) clusters answers by normalised
    string match unless the callback is told to use embeddings.

Run: ``python -m calibmodule fit --config configs/default.yaml`` (RLCR reward, SmolLM2, CPU).
"""

from __future__ import annotations

import copy
import time
from contextlib import nullcontext
from typing import Literal

import lightning as L
import torch
from lightning.pytorch.loggers import TensorBoardLogger

from calibmodule.answers import grade_batch
from calibmodule.losses import expected_confidence_loss, group_advantages, kl_k3, policy_gradient_loss
from calibmodule.metrics import calibration_metrics
from calibmodule.models import DEFAULT_MODEL, LoraConfig, load_policy, load_tokenizer
from calibmodule.prompting import NUM_CONF_BINS, ConfidenceMode, build_prompt, digit_to_confidence
from calibmodule.rewards import RewardConfig, total_reward
from calibmodule.sampling import ANSWER_TOKEN, FORCED, Rollouts, SamplerConfig, TokenSpec, completion_logprobs, sample_rollouts

_MIDPOINTS = torch.tensor([digit_to_confidence(d) for d in range(NUM_CONF_BINS)])


class RLCalibrationModule(L.LightningModule):
    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        lora: LoraConfig | None = None,
        confidence_mode: ConfidenceMode = "constrained",
        reward: RewardConfig | None = None,
        num_rollouts: int = 8,
        max_answer_tokens: int = 12,
        temperature: float = 0.7,
        confidence_temperature: float = 1.0,
        lr: float = 2e-4,
        weight_decay: float = 0.0,
        kl_beta: float = 0.0,
        clip_eps: float = 0.2,
        advantage_scale: Literal["group", "none"] = "none",
        confidence_gradient: Literal["exact", "sampled"] = "exact",
        eval_confidence: Literal["greedy", "expected"] = "expected",
        num_text_samples: int = 4,
    ) -> None:
        """
        Args:
            model: HF model id / local checkpoint dir, or ``smollm2-135m-instruct`` (embedded, offline).
            lora: LoRA adapter settings; ``None`` uses the defaults (r=8 on q/k/v/o); ``r: 0`` trains all weights.
            confidence_mode: ``constrained`` (digit 0-9 after a forced "Confidence: ") or ``tags`` (RLCR text).
            reward: weights of the reward terms (default: RLCR = correctness + Brier vs correctness).
            num_rollouts: N, rollouts sampled per question.
            max_answer_tokens: answer length limit (tokens) per rollout.
            temperature: sampling temperature of the answer tokens (also used in the training log-probs).
            confidence_temperature: sampling temperature of the constrained confidence digit.
            lr: AdamW learning rate.
            weight_decay: AdamW weight decay.
            kl_beta: weight of the KL(policy || reference) penalty; 0 disables the reference pass.
            clip_eps: PPO clip range.
            advantage_scale: ``none`` (default, Dr. GRPO): reward minus group mean, an unbiased estimate whose
                fixed point is the calibrated confidence; ``group`` also divides by the group reward std (GRPO),
                which over-weights all-wrong groups (their reward varies only through the confidence)
                and drags the confidence below the accuracy.
            confidence_gradient: constrained mode: ``exact`` (default) trains the confidence digit with the exact
                expected reward over all ten digits (the answer is graded, so every digit's reward is known) and
                gives the answer tokens that expected reward; ``sampled`` uses the one sampled digit's reward
                (plain GRPO, higher variance: after 30 steps its greedy digit was one constant for every question).
            eval_confidence: constrained mode at eval: ``expected`` (default), the mean of the policy's
                confidence-digit distribution after the greedy answer, or ``greedy``, the argmax digit (what a
                greedy decode prints). Both are logged; the other one under ``val/<name>/``. A policy can put
                the argmax on one bin for every question while its distribution still ranks them.
            num_text_samples: completions written to TensorBoard text at each validation.
        """
        super().__init__()
        self.save_hyperparameters()
        self.lora_cfg = lora if lora is not None else LoraConfig()
        self.reward_cfg = reward if reward is not None else RewardConfig()
        if num_rollouts < 2:
            raise ValueError(f"num_rollouts must be >= 2 for group advantages, got {num_rollouts}")
        self.sampler = SamplerConfig(confidence_mode, max_answer_tokens, temperature, confidence_temperature)
        self.tokenizer = load_tokenizer(model)
        self.policy = load_policy(model, self.lora_cfg).train()  # sampling switches to eval() itself
        self.spec = TokenSpec.from_tokenizer(self.tokenizer, self.policy.config.vocab_size)
        self._uses_lora = self.lora_cfg.r > 0
        self.ref_policy = None
        if kl_beta > 0 and not self._uses_lora:  # with LoRA the reference is the base, adapters off
            self.ref_policy = copy.deepcopy(self.policy).eval().requires_grad_(False)
        metrics = calibration_metrics()
        self.val_metrics = metrics.clone(prefix="val/")
        self.test_metrics = metrics.clone(prefix="test/")
        # constrained mode: the other read-out of the same digit distribution, logged alongside
        self._alt = "expected" if eval_confidence == "greedy" else "greedy"
        self.val_alt = metrics.clone(prefix=f"val/{self._alt}/")
        self.test_alt = metrics.clone(prefix=f"test/{self._alt}/")
        self.strict_loading = False  # checkpoints hold only trainable weights
        self._text_rows: list[str] = []
        self._eval_conf: list[torch.Tensor] = []

    # ---- hooks for rollout callbacks (StabilityCallback, ...) -----------------------------------
    def _rollout_callbacks(self, rollouts: Rollouts, batch: dict) -> None:
        if self._trainer is None:
            return
        for cb in self.trainer.callbacks:
            hook = getattr(cb, "on_rollouts", None)
            if hook is not None:
                hook(self.trainer, self, rollouts, batch)

    def per_question_targets(self, batch: dict) -> torch.Tensor | None:
        """Calibrated per-question targets (B,) for ``reward.brier_target``; subclasses provide them."""
        return None

    def on_fit_start(self) -> None:
        if self.reward_cfg.brier_stability > 0 and not any(hasattr(cb, "on_rollouts") and
                                                           getattr(cb, "provides", None) == "stability"
                                                           for cb in self.trainer.callbacks):
            raise ValueError("reward.brier_stability > 0 needs callbacks.StabilityCallback in trainer.callbacks")

    # ---- training -------------------------------------------------------------------------------
    def prompts(self, questions: list[str]) -> list[str]:
        return [build_prompt(self.tokenizer, q, self.hparams.confidence_mode) for q in questions]

    def score(self, rollouts: Rollouts, batch: dict) -> torch.Tensor:
        """Correctness (R,) of each rollout's answer against its question's aliases."""
        return torch.tensor(grade_batch(rollouts.answers, batch, rollouts.n), dtype=torch.float, device=self.device)

    def training_step(self, batch: dict, batch_idx: int) -> torch.Tensor:
        h = self.hparams
        t0 = time.perf_counter()
        self.policy.eval()  # no dropout while sampling
        r = sample_rollouts(self.policy, self.tokenizer, self.spec, self.prompts(batch["question"]), h.num_rollouts,
                            self.sampler)
        t_sample = time.perf_counter() - t0
        correct = self.score(r, batch)
        r.extras["correct"] = correct
        self._rollout_callbacks(r, batch)
        stab = r.extras.get("stability")
        target = self.per_question_targets(batch)
        signals = {"stability": stab.repeat_interleave(r.n) if stab is not None else None,
                   "target": target.repeat_interleave(r.n) if target is not None else None}
        exact = h.confidence_gradient == "exact" and r.conf_probs is not None
        if exact:  # reward had the rollout stated each of the ten digits: (R, 10)
            grid = _MIDPOINTS.to(correct).repeat(len(correct))
            rep = {k: v.repeat_interleave(NUM_CONF_BINS) if v is not None else None for k, v in signals.items()}
            grid_rewards, _ = total_reward(self.reward_cfg, grid, correct.repeat_interleave(NUM_CONF_BINS), **rep)
            grid_rewards = grid_rewards.view(-1, NUM_CONF_BINS)
        self.policy.train()
        if exact:
            logp, digit_logp = completion_logprobs(self.policy, r, self.spec, digit_dist=True)  # (R, C), (R, 10)
            p = digit_logp.detach().exp()
            rewards = (p * grid_rewards).sum(-1)  # the answer's reward: expected over its confidence digit
            terms = total_reward(self.reward_cfg, p @ _MIDPOINTS.to(p), correct, **signals)[1]
            mask = r.kinds == ANSWER_TOKEN
        else:
            logp = completion_logprobs(self.policy, r, self.spec)  # (R, C)
            rewards, terms = total_reward(self.reward_cfg, r.confidences, correct, **signals)
            mask = r.kinds != FORCED
        adv = group_advantages(rewards, r.n, h.advantage_scale)
        loss = policy_gradient_loss(logp, logp.detach(), adv, mask, h.clip_eps)
        if exact:
            conf_loss = expected_confidence_loss(digit_logp, grid_rewards)
            loss = loss + conf_loss
            self.log("train/confidence_loss", conf_loss, batch_size=r.num_prompts)
        if h.kl_beta > 0:
            with torch.no_grad(), self._reference():
                ref = self.ref_policy if self.ref_policy is not None else self.policy
                ref_logp = completion_logprobs(ref, r, self.spec)
            kl = kl_k3(logp, ref_logp, r.kinds != FORCED)
            loss = loss + h.kl_beta * kl
            self.log("train/kl", kl)
        self._log_train(r, rewards, terms, correct, t_sample, time.perf_counter() - t0)
        return loss

    def _reference(self):
        if self._uses_lora and self.ref_policy is None:
            return self.policy.disable_adapter()
        return nullcontext()

    def _log_train(self, r: Rollouts, rewards, terms, correct, t_sample, t_step) -> None:
        g = rewards.view(-1, r.n)
        conf = r.confidences
        ok = torch.isfinite(conf)
        logs = {
            "train/reward": rewards.mean(), "train/reward_std": g.std(-1).mean(),
            "train/frac_zero_std": (g.std(-1) < 1e-6).float().mean(), "train/acc": correct.mean(),
            "train/conf_mean": conf[ok].mean() if ok.any() else torch.tensor(float("nan")),
            "train/unparsed": (~ok).float().mean(),
            "train/completion_len": r.completion_mask.sum(-1).float().mean(),
            "train/sample_s": torch.tensor(t_sample), "train/step_s_before_backward": torch.tensor(t_step),
        }
        logs.update({f"train/reward_{k}": v.mean() for k, v in terms.items()})
        self.log_dict(logs, batch_size=r.num_prompts)
        tb = self._tb()
        if tb is not None and ok.any():
            tb.add_histogram("train/confidence", conf[ok].detach().cpu(), self.global_step)

    def _tb(self):
        logger = self.logger
        return logger.experiment if isinstance(logger, TensorBoardLogger) else None

    def configure_optimizers(self):
        params = [p for p in self.policy.parameters() if p.requires_grad]
        return torch.optim.AdamW(params, lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)

    # ---- evaluation -----------------------------------------------------------------------------
    @torch.no_grad()
    def answer(self, questions: list[str]) -> dict:
        """Greedy answer and stated confidence for each question (what a user sees).

        Returns ``{"answers": [str], "completions": [str], "truncated": (B,) bool, "confidence": (B,),
        "confidence_<alt>": (B,)}``: ``confidence`` is the ``eval_confidence`` read-out (NaN if unparseable);
        in constrained mode the other read-out (greedy digit / expected digit) is there too."""
        self.policy.eval()
        r = sample_rollouts(self.policy, self.tokenizer, self.spec, self.prompts(questions), 1, self.sampler.greedy())
        conf = {"greedy": r.confidences}
        if r.conf_probs is not None:
            conf["expected"] = r.conf_probs @ _MIDPOINTS.to(r.conf_probs)
        out = {"answers": r.answers, "completions": r.texts, "truncated": r.truncated,
               "confidence": conf.get(self.hparams.eval_confidence, conf["greedy"])}
        if "expected" in conf:
            out[f"confidence_{self._alt}"] = conf[self._alt]
        return out

    def _graded(self, batch: dict, out: dict) -> dict:
        if batch.get("answers") is not None:
            out["correct"] = torch.tensor(grade_batch(out["answers"], batch), device=self.device)
        return out

    def _eval_step(self, batch: dict, metrics, alt_metrics) -> dict:
        out = self._graded(batch, self.answer(batch["question"]))
        conf, correct, n = out["confidence"], out["correct"], len(out["answers"])
        ok = torch.isfinite(conf)
        prefix = metrics.prefix
        # calibration metrics see rows with a parsed confidence; a batch with none does not log them
        # (an epoch where nothing parses then reports only unparsed share and accuracy, no crash)
        if ok.any():
            metrics.update(conf[ok], correct[ok].long())
            self.log_dict(metrics, batch_size=int(ok.sum()))
        if f"confidence_{self._alt}" in out:  # constrained mode: both read-outs exist
            alt_metrics.update(out[f"confidence_{self._alt}"], correct.long())
            self.log_dict(alt_metrics, batch_size=n)
        self.log(f"{prefix}unparsed", (~ok).float().mean(), batch_size=n, sync_dist=True)
        self.log(f"{prefix}acc_all", correct.float().mean(), batch_size=n, sync_dist=True)
        self.log(f"{prefix}truncated", out["truncated"].float().mean(), batch_size=n, sync_dist=True)
        self._eval_conf.append(conf[ok].cpu())
        if len(self._text_rows) < self.hparams.num_text_samples:
            for q, t, c, y in zip(batch["question"], out["completions"], conf.tolist(), correct.tolist()):
                self._text_rows.append(f"| {q} | {t.strip()!r} | {c:.2f} | {bool(y)} |")
        return out

    @torch.no_grad()
    def baseline_eval(self, batch: dict) -> dict | None:
        """The same evaluation with the base model (LoRA adapters disabled), for reports."""
        if not self._uses_lora:
            return None
        with self.policy.disable_adapter():
            return self._graded(batch, self.answer(batch["question"]))

    def validation_step(self, batch: dict, batch_idx: int) -> dict:
        return self._eval_step(batch, self.val_metrics, self.val_alt)

    def test_step(self, batch: dict, batch_idx: int) -> dict:
        return self._eval_step(batch, self.test_metrics, self.test_alt)

    def predict_step(self, batch: dict, batch_idx: int) -> list[dict]:
        out = self._graded(batch, self.answer(batch["question"]))
        rows = []
        for k, (i, q) in enumerate(zip(batch["id"], batch["question"])):
            row = {"id": i, "question": q, "answer": out["answers"][k], "confidence": float(out["confidence"][k])}
            if f"confidence_{self._alt}" in out:
                row[f"confidence_{self._alt}"] = float(out[f"confidence_{self._alt}"][k])
            row["completion"] = out["completions"][k]
            if "correct" in out:
                row["correct"] = bool(out["correct"][k])
            rows.append(row)
        return rows

    def _end_eval(self, stage: str) -> None:
        tb = self._tb()
        if tb is not None and self._text_rows:
            table = "| question | completion | confidence | correct |\n|---|---|---|---|\n" + "\n".join(
                self._text_rows[: self.hparams.num_text_samples])
            tb.add_text(f"{stage}/samples", table, self.global_step)
        if tb is not None and self._eval_conf:
            conf = torch.cat(self._eval_conf)
            if conf.numel():
                tb.add_histogram(f"{stage}/confidence", conf, self.global_step)
        self._text_rows, self._eval_conf = [], []

    def on_validation_epoch_end(self) -> None:
        self._end_eval("val")

    def on_test_epoch_end(self) -> None:
        self._end_eval("test")

    # ---- checkpoints: trainable weights only ------------------------------------------------------
    def on_save_checkpoint(self, checkpoint: dict) -> None:
        keep = {n for n, p in self.named_parameters() if p.requires_grad}
        checkpoint["state_dict"] = {k: v for k, v in checkpoint["state_dict"].items() if k in keep}
        checkpoint["torch_rng_state"] = torch.get_rng_state()  # rollout sampling continues exactly on resume
        if torch.cuda.is_available():
            checkpoint["cuda_rng_state"] = torch.cuda.get_rng_state_all()

    def on_load_checkpoint(self, checkpoint: dict) -> None:
        # applied at the first resumed batch: Lightning draws from the global RNG while it rebuilds the
        # data loader iterator after loading, which the uninterrupted run did before this state was saved
        self._pending_rng = {k: checkpoint[k] for k in ("torch_rng_state", "cuda_rng_state") if k in checkpoint}

    def on_train_batch_start(self, batch: dict, batch_idx: int) -> None:
        pending = getattr(self, "_pending_rng", None)
        if pending:
            torch.set_rng_state(pending["torch_rng_state"])
            if "cuda_rng_state" in pending and torch.cuda.is_available():
                torch.cuda.set_rng_state_all(pending["cuda_rng_state"])
            self._pending_rng = None
