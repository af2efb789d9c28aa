"""RLCalibrationModule: GRPO-style RL that makes a model's stated confidence track correctness.

Algorithm (per training batch of B questions):
  1. Sample N rollouts per question from the current policy (``sampling.sample_rollouts``: one
     prefill per question, KV cache repeated N times and written in place, rows decoded together and
     dropped as they finish). The prefill is the training pass's own prompt pass (run once with grad,
     handed to the sampler detached) whenever the policy has no active dropout. Each rollout is an answer line plus a confidence (constrained digit 0-9, or RLCR tags).
  2. Signals (``calibmodule.signals``, declared in the config, run in dependency order): ``correct``
     (the grader), ``stability`` (blog), ``target`` (Entropy->Platt), or your own. Reward =
     Σ weight·term over the ``reward:`` table (``calibmodule.rewards.TERMS``): correctness, Brier vs
     correctness (RLCR = both), Brier vs stability, Brier vs a calibrated target, ... Questions the
     datamodule marks unlabelled (``data.labelled_fraction < 1``, the stability blog's "labels used")
     get the ``unlabelled_reward`` table instead (label-free terms only); ``train/labelled_share`` logs it.
  3. Answer tokens: group-relative advantages (reward − group mean; ``advantage_scale: group`` also
     divides by the group std as in GRPO), policy-gradient loss over answer tokens; optional k3 KL to
     the reference = the same network with LoRA adapters disabled.
  4. Confidence digit (constrained mode, ``confidence_objective: regression``, default): once the
     answer is graded the reward of *every* digit is known (a full-information bandit), so the centred
     digit log-probs are regressed onto the centred digit rewards / tau (``losses.confidence_regression_loss``);
     its fixed point is p = softmax(E[R]/tau), whose argmax is the Brier-best bin. The answer tokens'
     reward uses the expected reward over the digit distribution. A zero-initialised linear head adds to
     the digit logits what the model's last hidden state and its own answer-token log-probs (mean, min,
     length: ``sampling.answer_features``) say; by default only the head learns from this objective, and
     it is fitted after each step by its own optimizer (``confidence_head_steps`` AdamW steps over a replay
     of the last ``confidence_replay`` rollouts: it is a linear model on detached inputs; after the last
     step, ``confidence_head_final_steps`` more), with dropout on its hidden-state input
     (``confidence_head_dropout``) so that it does not state confidences from template identity alone.
  5. Optionally, after the last step (``calibration_tilt``; off by default): held-out training questions
     (``data.calibration_size``) are answered greedily and the digit distribution is tilted by the one β that
     fits them (``calibmodule.tilt``, folded into the head's bias): a post-hoc level correction, as temperature
     scaling is, for the head's fit on sampled rollouts of earlier policies.
Validation/test: greedy answer; its stated confidence is the expected value of the confidence-digit
distribution (``eval_confidence: expected``) or the greedy digit (``greedy``), the other logged beside
it under ``val/greedy/*``; ECE/Brier/AUROC/gap/accuracy as torchmetrics.

Deviations from the papers (RLCR, Damani et al.; the stability blog):
  * RLCR lets the model reason, then parses free-text tags; by default we use the *constrained*
    confidence (a digit from the softmax restricted to 0-9) so a 135M model always states one;
    ``confidence_mode: tags`` is the RLCR format (and trains the confidence by its sampled reward).
  * The confidence digit is not trained by a sampled policy gradient (``confidence_objective:
    sampled``) but by the exact full-information objective above. Measured on SmolLM2 (30 steps):
    the sampled gradient ended with one digit for every question (greedy AUROC 0.50), and the exact
    expected-reward gradient (``policy_gradient``) saturated on one digit within 5 steps even with an
    entropy bonus (val gap -0.18 to -0.21), since p_j·(R_j − E_p R) vanishes once p is one-hot.
  * One gradient step per batch (GRPO μ=1, TRL's default): the ratio is 1, so there is no clip.
  * Advantages are not divided by the group std by default (Dr. GRPO).
  * Rollouts are drawn from a snapshot of the policy with the LoRA folded into the base weights, cast to
    the autocast dtype under mixed precision (``models.sampling_weights``), as TRL samples outside autocast;
    in fp32 the sampled and the trained log-probs agree to 1e-4 (tested), under bf16 to bf16 rounding.

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

from calibmodule.divergence import stop_if_diverged
from calibmodule.entropy import pearson
from calibmodule.evaluation import MIDPOINTS, GreedyEvaluation
from calibmodule.logprobs import completion_logprobs, prompt_prefill
from calibmodule.losses import (confidence_regression_loss, expected_confidence_loss, group_advantages, kl_k3,
                                policy_gradient_loss)
from calibmodule.memory import keep_freed_memory, release_freed_memory
from calibmodule.metrics import calibration_metrics
from calibmodule.models import (DEFAULT_MODEL, LoraConfig, autocast_dtype, check_answer_budget, check_checkpoint_fits,
                                load_policy, load_tokenizer, sampling_weights)
from calibmodule.prompting import ConfidenceMode, build_prompt
from calibmodule.rewards import check_weights, digit_rewards, label_free_weights, split_reward
from calibmodule.sampling import (ANSWER_TOKEN, FORCED, ConfidenceHead, Rollouts, SamplerConfig, TokenSpec,
                                  encode_prompts, sample_rollouts)
from calibmodule.schedules import SCHEDULES, Schedule, lr_factor
from calibmodule.signals import Signal, resolve
from calibmodule.tilt import calibrate_level

RLCR = {"correctness": 1.0, "brier_correct": 1.0}


class RLCalibrationModule(GreedyEvaluation, L.LightningModule):
    def __init__(
        self,
        model: str = DEFAULT_MODEL,
        lora: LoraConfig | None = None,
        dtype: Literal["float32", "bfloat16", "float16"] = "float32",
        confidence_mode: ConfidenceMode = "constrained",
        reward: dict[str, float] | None = None,
        unlabelled_reward: dict[str, float] | None = None,
        signals: list[Signal] | None = None,
        format_penalty: float = 0.0,
        num_rollouts: int = 4,
        max_answer_tokens: int = 32,
        eval_max_answer_tokens: int | None = None,
        temperature: float = 0.3,
        confidence_temperature: float = 0.2,
        lr: float = 3e-4,
        lr_schedule: Schedule = "constant",
        warmup_steps: int = 0,
        weight_decay: float = 0.0,
        kl_beta: float = 0.0,
        advantage_scale: Literal["group", "none"] = "none",
        confidence_objective: Literal["regression", "policy_gradient", "sampled"] = "regression",
        confidence_tau: float = 0.01,
        confidence_entropy: float = 0.01,
        confidence_head: bool = True,
        confidence_head_features: bool = True,
        confidence_head_lr: float = 1e-2,
        confidence_head_dropout: float = 0.5,
        confidence_lm_grad: float = 0.0,
        confidence_replay: int = 4096,
        confidence_head_steps: int = 20,
        confidence_head_final_steps: int = 200,
        confidence_head_greedy_rows: bool = False,
        calibration_tilt: bool = False,
        eval_confidence: Literal["greedy", "expected"] = "expected",
        num_text_samples: int = 4,
        prompting_baseline: bool = True,
        activation_checkpointing: bool = False,
        sampling_prepack: bool = True,
    ) -> None:
        """
        Args:
            model: HF model id / local checkpoint dir, or ``smollm2-135m-instruct`` (embedded, offline).
            lora: LoRA adapter settings; ``None`` uses the defaults (r=8 on q/k/v/o); ``r: 0`` trains all weights.
            dtype: weights of the loaded model (``bfloat16`` halves memory on GPUs; peft keeps LoRA weights in
                float32). With ``trainer.precision: bf16-mixed`` keep ``float32`` and let autocast do the rest.
            confidence_mode: ``constrained`` (digit 0-9 after a forced "Confidence: ") or ``tags`` (RLCR text).
            reward: weight of each reward term by name (``calibmodule.rewards.TERMS`` plus the terms of
                ``signals``); default RLCR ``{correctness: 1, brier_correct: 1}``.
            unlabelled_reward: the reward table of questions without labels (``data.labelled_fraction < 1``):
                only terms that need no gold answer (e.g. ``brier_stability``). Default: the label-free terms of
                ``reward``. Labelled questions get ``reward``; gold answers of unlabelled ones never reach it.
            signals: signal objects (``calibmodule.signals``); a term's built-in signal is added if missing.
            format_penalty: value of a confidence term when the confidence is missing/unparseable (tags mode).
            num_rollouts: N, rollouts sampled per question (>= 2: the group mean is the baseline).
            max_answer_tokens: answer length limit (tokens). At 32, 1% of the base model's and 4% of the trained
                default model's greedy val answers were cut (it writes longer sentences); the presets use 40.
            eval_max_answer_tokens: the greedy answer's limit in validation, test and predict (None:
                ``max_answer_tokens``). The presets use 64: at 40, 4 of the trained default model's 200 greedy val
                answers (2%) were cut, and all 4 end within 64; training keeps 40, as each longer rollout holds up
                its step's sampling.
            temperature: sampling temperature of the answer tokens (> 0; 0.3: rollouts close to the greedy answer
                a user sees; the log-prob pass uses the same transform). At 0 the N rollouts of a question would be
                one answer N times: no group advantage, no stability signal.
            confidence_temperature: temperature of the constrained confidence digit's distribution, in training
                and for the ``expected`` read-out. 0.2: the same calibrated distribution needs 5x smaller digit
                logits than at 1.0 (measured at 1.0 without the head: val accuracy 0.17 after 15 steps, vs 0.37
                with the policy-gradient objective).
            lr: AdamW learning rate.
            lr_schedule: the policy's learning rate over the run (``calibmodule.schedules``): ``constant``, or
                ``linear`` / ``cosine`` decay to 0 at the last step (``trainer.max_steps``), as TRL's
                ``lr_scheduler_type``. The confidence head's optimizer keeps its own constant rate.
            warmup_steps: steps of linear warmup to ``lr`` before the schedule (0: none).
            weight_decay: AdamW weight decay.
            kl_beta: weight of the KL(policy || reference) penalty; 0 disables the reference pass.
            advantage_scale: ``none`` (default, Dr. GRPO): reward minus group mean; ``group`` also divides by
                the group reward std (GRPO).
            confidence_objective: how the constrained confidence digit learns: ``regression`` (default; see
                the module docstring), ``policy_gradient`` (exact expected reward + ``confidence_entropy``
                bonus) or ``sampled`` (the sampled digit's reward, plain GRPO).
            confidence_tau: temperature of the regression target softmax(E[R]/tau), > 0.
            confidence_entropy: entropy bonus of ``policy_gradient``, >= 0.
            confidence_head: constrained mode with ``regression``/``policy_gradient``: add a zero-initialised
                linear head (``sampling.ConfidenceHead``, 10·(D+4) parameters) to the digit logits at the confidence
                position; exported with the adapter.
            confidence_head_features: the head also reads the answer's own token probabilities
                (``sampling.answer_features``: mean and min untempered log-prob of the answer tokens, length),
                three numbers the sampler already has; False: the hidden state only.
            confidence_head_lr: AdamW learning rate of that head (> 0).
            confidence_head_dropout: dropout on the head's hidden-state input while it is fitted to its replay
                rows, in [0, 1) (0: none); sampling and evaluation read the whole hidden state. The hidden state
                tells the training templates apart, and a head fitted on it alone states confidences from what it
                learned of those templates on question forms it never saw; dropout makes it lean on the answer's
                own token probabilities as well. The masks come from the head's own random stream (seeded by the
                run's seed, kept in checkpoints), not the one rollouts are sampled from. Replayed offline on the
                default run's 1200 replay rows (3 seeds; greedy answers of the trained model): on four unseen-form sets (223 + 40 + 40 + 50 questions) mean
                ECE 0.19 -> 0.12 and AUROC 0.66 -> 0.76 at 0.5; on the default test split ECE 0.065 -> 0.054-0.070
                and AUROC 0.794 -> 0.792 (0.3: unseen ECE 0.15; 0.65: 0.13, test AUROC 0.785). Two default runs
                with it: unseen mean ECE 0.194 -> 0.136 / 0.150, test ECE 0.084 / 0.072 (docs/results.md).
            confidence_lm_grad: scale of the confidence objective's gradient into the language model (LoRA), in
                [0, 1] (without a head it is 1). 0 (default): the confidence is learned by the head alone and answers
                only by their own reward; measured with 1 (no head), 15 steps of the regression objective cost 6 to 20 points of
                val accuracy.
            confidence_replay: with the head and ``regression``: the head's loss is taken over the last this-many
                rollouts' (hidden state, LM digit logits, digit rewards), not only this step's (0: this step's only). The rewards
                of an answer do not depend on the policy and the LoRA moves slowly, so old rows stay valid;
                measured: without it the head swung between over- and under-confidence step to step.
            confidence_head_steps: with the head and ``regression``: after each training step the head alone takes
                this many AdamW steps (lr ``confidence_head_lr``, its own optimizer) on its regression loss over the
                replay rows, this step's included: it is a 10·(D+4)-parameter model on detached inputs, so fitting
                it costs milliseconds. 0: one step shared with the LM's optimizer. Measured on the replay rows of two
                30-step runs (fit on the first 900, scored on the last 300): AUROC 0.73 / 0.66 with one step,
                0.82 / 0.89 with 20, greedy AUROC 0.58 / 0.52 -> 0.80 / 0.86.
            confidence_head_final_steps: more such steps after the last training step (``trainer.max_steps``, or the
                last batch of ``max_epochs``), before the last checkpoint is written: 20 steps a step leave the head
                short of its fit. Replayed offline on four 30-step default runs (exactly reproducing their heads),
                200 more lowered test ECE 0.072 / 0.071 / 0.076 / 0.148 -> 0.065 / 0.043 / 0.071 / 0.124 and raised
                test AUROC on all four; on an Entropy->Platt run, test ECE 0.079 -> 0.085 (docs/results.md).
            confidence_head_greedy_rows: with the head and ``regression``: each step also answers its questions
                greedily (what a user sees; ``eval_max_answer_tokens``), without gradient, and adds those answers'
                rows to the replay beside the sampled rollouts'. Greedy answers have likelier tokens than sampled
                ones (run E, test: min token log-prob -1.39 against -1.54), so a head fitted on sampled rows alone
                reads them as surer than they are: on run E's test split it is over-confident by +0.071 on greedy
                answers and +0.051 on sampled ones. Costs one greedy pass over the step's questions. Needs a reward
                of correctness terms only (the other signals are defined on a group of rollouts).
            calibration_tilt: after the last step (and its head steps), answer the datamodule's held-out training
                questions (``data.calibration_size``) greedily and tilt the confidence-digit distribution by the one
                β that fits them (``calibmodule.tilt``; folded into the head's bias, so the checkpoint, the adapter
                and both read-outs carry it). Needs the constrained mode with the head and a confidence temperature
                > 0. Off by default: on world facts the held-out questions' level does not carry to new countries.
                Offline on three 30-step default runs (400 questions) test ECE went 0.072 / 0.066 / 0.103 -> 0.047 /
                0.065 / 0.064, but in a real default run the held-out questions were answered at 0.53 against 0.41
                on test, the tilt raised the stated confidence, and test ECE was 0.121 (docs/results.md).
            eval_confidence: constrained mode at eval: ``expected`` (default), the mean of the policy's
                confidence-digit distribution after the greedy answer, or ``greedy``, the argmax digit (what a
                greedy decode prints). Both are logged; the other one under ``val/<name>/``.
            num_text_samples: completions written to TensorBoard text at each validation.
            activation_checkpointing: the low-memory setting. Recompute the log-prob pass's activations in
                backward, one pass of <= 256 positions at a time, instead of keeping all of them, and hand freed
                memory back to the OS after each step (costs about one more forward pass per step: on the CPU
                main job 798 against 577 s for the fit, peak RSS 2.3 against 4.5 GiB; the same run up to float
                summation order). Off (the default, and ``default.yaml``'s), on CPU, glibc is told at fit start
                to keep freed memory in its heap for the next step (``memory.keep_freed_memory``, process-wide).
            sampling_prepack: on CPU, sample (rollouts and greedy evaluation) on oneDNN-prepacked copies of the
                weights (``cpu_linear``; one more copy of the weights while sampling). With activation
                checkpointing it does not pay: on the main job (SmolLM2, 2 cores, the same rollouts) sampling took
                9.8 against 10.7 s a step but the rest of the step 0.9 s more (the copy is made and handed back to
                the OS every step), 28.3 against 28.1 s a step, peak RSS 2.84 against 2.38 GiB (handing the copy
                back right after sampling, 6 steps: 2.65 against 2.30 GiB, 23.7 against 22.9 s a step);
                ``default.yaml`` turns it off (in the fast setting too: 554 against 577 s for the main job's fit, and
                the different float sums change the run).
            prompting_baseline: the ``test`` report also evaluates the base model asked with an aggressive
                calibration instruction (``prompting.CALIBRATION_INSTRUCTION``; the stability blog's baseline).
        """
        super().__init__()
        self.save_hyperparameters(ignore=["signals"])
        _INF = float("inf")  # noqa: N806 -- every rate and weight is finite; NaN fails every rule
        for name, ok in (("num_rollouts", num_rollouts >= 2), ("lr", 0 < lr < _INF), ("weight_decay", 0 <= weight_decay < _INF),
                         ("warmup_steps", warmup_steps >= 0),
                         ("temperature", 0 < temperature < _INF),
                         ("confidence_temperature", 0 <= confidence_temperature < _INF),
                         ("eval_max_answer_tokens", eval_max_answer_tokens is None or eval_max_answer_tokens >= 1),
                         ("kl_beta", 0 <= kl_beta < _INF), ("confidence_tau", 0 < confidence_tau < _INF),
                         ("confidence_entropy", 0 <= confidence_entropy < _INF), ("num_text_samples", num_text_samples >= 0),
                         ("confidence_head_lr", 0 < confidence_head_lr < _INF),
                         ("confidence_head_dropout", 0 <= confidence_head_dropout < 1),
                         ("confidence_lm_grad", 0 <= confidence_lm_grad <= 1),
                         ("confidence_replay", confidence_replay >= 0),
                         ("confidence_head_steps", confidence_head_steps >= 0),
                         ("confidence_head_final_steps", confidence_head_final_steps >= 0),
                         ("format_penalty", abs(format_penalty) < _INF)):
            if not ok:
                raise ValueError(f"model.{name} is out of range: {locals()[name]!r} (see --help)")
        for name, value, choices in (("dtype", dtype, ("float32", "bfloat16", "float16")),
                                     ("advantage_scale", advantage_scale, ("group", "none")),
                                     ("lr_schedule", lr_schedule, SCHEDULES),
                                     ("confidence_objective", confidence_objective, ("regression", "policy_gradient", "sampled")),
                                     ("eval_confidence", eval_confidence, ("greedy", "expected"))):
            if value not in choices:  # the CLI checks these Literals; the Python API does not
                raise ValueError(f"model.{name} must be one of {list(choices)}, got {value!r}")
        self.lora_cfg = LoraConfig(**lora) if isinstance(lora, dict) else lora if lora is not None else LoraConfig()
        both = {**dict(reward if reward is not None else RLCR), **dict(unlabelled_reward or {})}
        self.signals, self.terms = resolve(both, signals)
        self.weights = check_weights(reward if reward is not None else RLCR, self.terms)
        self.unlabelled_weights = label_free_weights(self.weights, unlabelled_reward, self.terms)
        self.sampler = SamplerConfig(confidence_mode, max_answer_tokens, temperature, confidence_temperature)
        self.tokenizer = load_tokenizer(model)
        self.policy = load_policy(model, self.lora_cfg, dtype).train()  # sampling switches to eval() itself
        check_answer_budget(self.policy.config, max_answer_tokens)
        if eval_max_answer_tokens is not None:
            check_answer_budget(self.policy.config, eval_max_answer_tokens, name="eval_max_answer_tokens")
        self.spec = TokenSpec.from_tokenizer(self.tokenizer, self.policy.config.vocab_size)
        use_head = confidence_head and confidence_mode == "constrained" and confidence_objective != "sampled"
        self.conf_head = (ConfidenceHead(self.policy.config.hidden_size, answer_features=confidence_head_features)
                          if use_head else None)
        if confidence_head_greedy_rows:
            other = sorted({self.terms[n].signal for n, w in self.weights.items() if w > 0} - {"correct"})
            if self.conf_head is None or confidence_objective != "regression" or confidence_head_steps == 0 or other:
                raise ValueError("model.confidence_head_greedy_rows needs the confidence head fitted by its own "
                                 "optimizer (confidence_head: true, confidence_objective: regression, "
                                 "confidence_head_steps > 0) and a reward of correctness terms only"
                                 + (f"; the reward reads {other}" if other else ""))
        if calibration_tilt and (self.conf_head is None or self.sampler.conf_temperature <= 0):
            raise ValueError("model.calibration_tilt needs confidence_mode: constrained, confidence_head: true, a "
                             "confidence_objective other than sampled and confidence_temperature > 0")
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
        self._replay: dict[str, torch.Tensor] = {}  # confidence-head replay rows (kept in checkpoints)
        # the head's dropout masks: their own stream (seeded from the run's seed, kept in checkpoints), so that
        # fitting the head never moves the stream the rollouts are sampled from
        self._head_rng = torch.Generator().manual_seed(torch.initial_seed() % 2**63)
        self._text_rows: list[str] = []
        self._eval_conf: list[torch.Tensor] = []

    @property
    def _deterministic(self) -> bool:
        """No dropout anywhere in training mode, so the prompt pass computed with grad for the loss is the
        one the sampler would compute: it is run once and shared."""
        cfg = self.policy.config
        drop = [m.p for m in self.policy.modules() if isinstance(m, torch.nn.Dropout)]
        drop += [float(getattr(cfg, k, 0) or 0) for k in ("attention_dropout", "hidden_dropout", "resid_pdrop")]
        return not any(p > 0 for p in drop)

    def per_question_targets(self, batch: dict, rollouts: Rollouts | None = None,
                             values: dict[str, torch.Tensor] | None = None) -> torch.Tensor | None:
        """Calibrated per-question targets (B,) for the ``target`` signal (this step's rollouts and the signals
        computed before it given); subclasses provide them."""
        return None

    # ---- training -------------------------------------------------------------------------------
    def prompts(self, questions: list[str]) -> list[str]:
        calib = getattr(self, "_calibration_prompt", False)  # set by baseline_evals for the prompting baseline
        return [build_prompt(self.tokenizer, q, self.hparams.confidence_mode, calib) for q in questions]

    def compute_signals(self, r: Rollouts, batch: dict) -> dict[str, torch.Tensor]:
        """Every configured signal on this step's rollouts, in dependency order: {name: (R,)}."""
        values: dict[str, torch.Tensor] = {}
        for s in self.signals:
            values[s.name] = s(r, batch, self, values).to(self.device).float()
        return values

    def training_step(self, batch: dict, batch_idx: int) -> torch.Tensor:
        h = self.hparams
        t0 = time.perf_counter()
        prompts = self.prompts(batch["question"])
        prefill = None
        if self._deterministic:  # the prompts' pass, with grad, once: the sampler reuses it (detached)
            self.policy.train()
            prefill = prompt_prefill(self.policy, *encode_prompts(self.tokenizer, prompts, self.device),
                                     checkpoint=h.activation_checkpointing)
        self.policy.eval()  # no dropout while sampling
        with sampling_weights(self.policy, autocast_dtype(self.device), prepack=self.prepack):  # adapter folded in
            r = sample_rollouts(self.policy, self.tokenizer, self.spec, prompts, h.num_rollouts, self.sampler,
                                conf_head=self.conf_head, prefill=prefill)
        t_sample = time.perf_counter() - t0
        values = self.compute_signals(r, batch)
        lab = self._labelled(batch, r)  # (R,) bool, or None when every question is labelled
        objective = h.confidence_objective if r.conf_probs is not None else "sampled"
        self.policy.train()
        conf_loss = None
        if objective == "sampled":
            logp = completion_logprobs(self.policy, r, self.spec, checkpoint=h.activation_checkpointing,
                                       prefill=prefill)  # (R, C)
            rewards, terms = self._rewards(r.confidences, values, lab)
            mask = r.kinds != FORCED
        else:
            feats: dict[str, torch.Tensor] = {}
            logp, digit_logp = completion_logprobs(self.policy, r, self.spec, digit_dist=True, conf_head=self.conf_head,
                                                   lm_grad=h.confidence_lm_grad if self.conf_head is not None else 1.0,
                                                   features=feats, checkpoint=h.activation_checkpointing,
                                                   prefill=prefill)
            grid = self._digit_rewards(values, MIDPOINTS.to(logp), lab)  # (R, 10)
            p = digit_logp.detach().exp()
            rewards = (p * grid).sum(-1)  # the answer's reward: expected over its confidence digit
            terms = self._rewards(p @ MIDPOINTS.to(p), values, lab)[1]
            mask = r.kinds == ANSWER_TOKEN
            if objective == "regression":
                conf_loss = confidence_regression_loss(digit_logp, grid, h.confidence_tau)
                if feats and self._head_fit:  # fitted after the step by its own optimizer (optimizer_step)
                    self._remember(feats, grid)
                    if h.confidence_head_greedy_rows:
                        self._remember(*self._greedy_rows(batch, prompts))
                elif feats and h.confidence_replay > 0:
                    conf_loss = conf_loss + self._replay_loss(feats, grid)
            else:
                conf_loss = expected_confidence_loss(digit_logp, grid, h.confidence_entropy)
        adv = group_advantages(rewards, r.n, h.advantage_scale)
        loss = policy_gradient_loss(logp, logp.detach(), adv, mask)
        if conf_loss is not None:
            loss = loss + conf_loss
            self.log("train/confidence_loss", conf_loss, batch_size=r.num_prompts)
        if h.kl_beta > 0:
            with torch.no_grad(), self._reference():
                ref = self.ref_policy if self.ref_policy is not None else self.policy
                ref_logp = completion_logprobs(ref, r, self.spec)
            kl = kl_k3(logp, ref_logp, r.kinds != FORCED)
            loss = loss + h.kl_beta * kl
            self.log("train/kl", kl, batch_size=r.num_prompts)
        self._log_train(r, rewards, terms, values, t_sample, time.perf_counter() - t0)
        self.log("train/labelled_share", lab.float().mean() if lab is not None else torch.tensor(1.0),
                 batch_size=r.num_prompts)
        stop_if_diverged(self, loss, rewards, rates=("lr", "confidence_head_lr"))
        return loss

    # ---- rewards of labelled and unlabelled questions ----------------------------------------------
    def _labelled(self, batch: dict, r: Rollouts) -> torch.Tensor | None:
        flags = batch.get("labelled")
        if flags is None or all(flags):
            return None
        return torch.tensor(flags, dtype=torch.bool, device=self.device).repeat_interleave(r.n)

    def _rewards(self, conf: torch.Tensor, values: dict, lab: torch.Tensor | None):
        return split_reward(self.weights, self.unlabelled_weights, conf, values, lab, self.hparams.format_penalty,
                            self.terms)

    def _digit_rewards(self, values: dict, midpoints: torch.Tensor, lab: torch.Tensor | None) -> torch.Tensor:
        full = digit_rewards(self.weights, values, midpoints, self.hparams.format_penalty, self.terms)  # (R, 10)
        if lab is None:
            return full
        free = (digit_rewards(self.unlabelled_weights, values, midpoints, self.hparams.format_penalty, self.terms)
                if self.unlabelled_weights else torch.zeros_like(full))
        return torch.where(lab[:, None], full, free)

    @torch.no_grad()
    def _greedy_rows(self, batch: dict, prompts: list[str]) -> tuple[dict, torch.Tensor]:
        """The head's rows of this step's questions answered greedily: (features, digit rewards (B, 10))."""
        was_training = self.policy.training
        self.policy.eval()
        with sampling_weights(self.policy, autocast_dtype(self.device), prepack=self.prepack):
            g = sample_rollouts(self.policy, self.tokenizer, self.spec, prompts, 1,
                                self.sampler.greedy(self.hparams.eval_max_answer_tokens), conf_head=self.conf_head)
        feats: dict[str, torch.Tensor] = {}
        completion_logprobs(self.policy, g, self.spec, digit_dist=True, conf_head=self.conf_head, features=feats)
        self.policy.train(was_training)
        grid = self._digit_rewards(self.compute_signals(g, batch), MIDPOINTS.to(self.device), self._labelled(batch, g))
        return feats, grid

    @property
    def _head_fit(self) -> bool:
        """The head is fitted by its own optimizer after each step (``confidence_head_steps``)."""
        h = self.hparams
        return self.conf_head is not None and h.confidence_objective == "regression" and h.confidence_head_steps > 0

    def _remember(self, feats: dict, grid: torch.Tensor) -> None:
        """Append this step's head inputs and digit rewards to the replay rows (the last ``confidence_replay``,
        at least this step's)."""
        new = {k: feats[k] for k in ("hidden", "lm_digits", "answer_feats") if k in feats} | {"grid": grid.detach()}
        keep = max(self.hparams.confidence_replay, len(grid))
        if self._replay.keys() != new.keys():  # e.g. resumed from a checkpoint written without answer features
            self._replay = {}
        self._replay = {k: torch.cat([self._replay[k].to(v), v])[-keep:] if k in self._replay else v[-keep:]
                        for k, v in new.items()}

    def _replay_loss(self, feats: dict | None = None, grid: torch.Tensor | None = None) -> torch.Tensor:
        """The head's regression loss over the replay rows (``feats``/``grid``: this step's, appended first);
        only the head gets its gradient."""
        if feats is not None:
            self._remember(feats, grid)
        z = self._replay["lm_digits"] + self.conf_head(self._replay["hidden"], self._replay.get("answer_feats"),
                                                       dropout=self.hparams.confidence_head_dropout,
                                                       generator=self._head_rng).float()
        logp = torch.log_softmax(z / (self.sampler.conf_temperature or 1.0), -1)
        return confidence_regression_loss(logp, self._replay["grid"], self.hparams.confidence_tau)

    def _reference(self):
        if self._uses_lora and self.ref_policy is None:
            return self.policy.disable_adapter()
        return nullcontext()

    def _log_train(self, r: Rollouts, rewards, terms, values, t_sample, t_step) -> None:
        g = rewards.view(-1, r.n)
        conf = r.confidences
        ok = torch.isfinite(conf)
        acc_q = values["correct"].view(-1, r.n).mean(-1)  # (B,) per-question accuracy
        logs = {
            "train/reward": rewards.mean(), "train/reward_std": g.std(-1).mean(),
            "train/frac_zero_std": (g.std(-1) < 1e-6).float().mean(), "train/acc": values["correct"].mean(),
            "train/conf_mean": conf[ok].mean() if ok.any() else torch.tensor(float("nan")),
            "train/unparsed": (~ok).float().mean(), "train/truncated": r.truncated.float().mean(),
            "train/completion_len": r.completion_mask.sum(-1).float().mean(),
            "train/sample_s": torch.tensor(t_sample), "train/step_s_before_backward": torch.tensor(t_step),
        }
        for name, v in values.items():
            if name != "correct":  # each signal's mean and its correlation with per-question accuracy
                logs[f"train/{name}"] = v.mean()
                logs[f"train/{name}_corr"] = pearson(v.view(-1, r.n).mean(-1).cpu(), acc_q.cpu())
        logs.update({f"train/reward_{k}": v.mean() for k, v in terms.items()})
        self.log_dict(logs, batch_size=r.num_prompts)
        tb = self._tb()
        if tb is not None and ok.any():
            tb.add_histogram("train/confidence", conf[ok].detach().cpu(), self.global_step)

    def _tb(self):
        logger = self.logger
        return logger.experiment if isinstance(logger, TensorBoardLogger) else None

    def configure_optimizers(self):
        groups = [{"params": [p for p in self.policy.parameters() if p.requires_grad], "lr": self.hparams.lr}]
        if self._head_fit:  # the head has its own optimizer, stepped in optimizer_step
            self._head_opt = torch.optim.AdamW(self.conf_head.parameters(), lr=self.hparams.confidence_head_lr,
                                               weight_decay=self.hparams.weight_decay)
            state = getattr(self, "_head_opt_state", None)
            if state:
                self._head_opt.load_state_dict(state)
        elif self.conf_head is not None:
            groups.append({"params": list(self.conf_head.parameters()), "lr": self.hparams.confidence_head_lr})
        opt = torch.optim.AdamW(groups, lr=self.hparams.lr, weight_decay=self.hparams.weight_decay)
        h = self.hparams
        if h.lr_schedule == "constant" and h.warmup_steps == 0:
            return opt
        total = self.trainer.estimated_stepping_batches
        if h.lr_schedule != "constant" and not 0 < total < float("inf"):
            raise ValueError(f"model.lr_schedule={h.lr_schedule!r} needs a finite run: set trainer.max_steps "
                             "(or trainer.max_epochs)")
        total = int(total) if total < float("inf") else 0
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda step: lr_factor(step, total, h.lr_schedule, h.warmup_steps))
        return {"optimizer": opt, "lr_scheduler": {"scheduler": sched, "interval": "step"}}

    def fit_head(self, steps: int | None = None) -> torch.Tensor | None:
        """``steps`` (default ``confidence_head_steps``) AdamW steps of the head alone on its replay loss; returns
        the final loss.
        Under DDP the head's gradients are averaged over ranks each step (every rank calls this), so its
        weights stay identical everywhere."""
        opt, loss = getattr(self, "_head_opt", None), None
        if opt is None or not self._replay:
            return None
        params = list(self.conf_head.parameters())
        distributed = self.trainer.world_size > 1 if self._trainer is not None else False
        with torch.enable_grad():
            for _ in range(self.hparams.confidence_head_steps if steps is None else steps):
                opt.zero_grad(set_to_none=False)
                loss = self._replay_loss()
                loss.backward()
                if distributed:
                    flat = self.trainer.strategy.reduce(torch.cat([p.grad.flatten() for p in params]), reduce_op="mean")
                    for p, g in zip(params, flat.split([p.numel() for p in params])):
                        p.grad.copy_(g.view_as(p))
                opt.step()
        opt.zero_grad(set_to_none=True)
        return loss.detach()

    # ---- checkpoints: trainable weights only ------------------------------------------------------
    def on_save_checkpoint(self, checkpoint: dict) -> None:
        keep = {n for n, p in self.named_parameters() if p.requires_grad}
        checkpoint["state_dict"] = {k: v for k, v in checkpoint["state_dict"].items() if k in keep}
        checkpoint["calibmodule_class"] = f"{type(self).__module__}.{type(self).__qualname__}"
        checkpoint["confidence_replay"] = {k: v.cpu() for k, v in self._replay.items()}
        if getattr(self, "_head_opt", None) is not None:
            checkpoint["confidence_head_optimizer"] = self._head_opt.state_dict()
        checkpoint["torch_rng_state"] = torch.get_rng_state()  # rollout sampling continues exactly on resume
        checkpoint["confidence_head_rng_state"] = self._head_rng.get_state()
        if getattr(self, "_tilt", None) is not None:
            checkpoint["calibration_tilt"] = dict(self._tilt)
        if torch.cuda.is_available():
            checkpoint["cuda_rng_state"] = torch.cuda.get_rng_state_all()

    def on_load_checkpoint(self, checkpoint: dict) -> None:
        check_checkpoint_fits(self, checkpoint)
        # applied at the first resumed batch: Lightning draws from the global RNG while it rebuilds the
        # data loader iterator after loading, which the uninterrupted run did before this state was saved
        self._pending_rng = {k: checkpoint[k] for k in ("torch_rng_state", "cuda_rng_state") if k in checkpoint}
        self._replay = dict(checkpoint.get("confidence_replay") or {})
        if "confidence_head_rng_state" in checkpoint:
            self._head_rng.set_state(checkpoint["confidence_head_rng_state"])
        self._head_opt_state = checkpoint.get("confidence_head_optimizer")  # loaded by configure_optimizers
        if getattr(self, "_head_opt", None) is not None and self._head_opt_state:
            self._head_opt.load_state_dict(self._head_opt_state)

    def setup(self, stage: str) -> None:
        """Before any work: every question the datamodule holds must fit the context with the answer budget."""
        splits = getattr(self.trainer.datamodule, "splits", None) if self._trainer is not None else None
        if isinstance(splits, dict):
            self.check_prompts(splits)

    def on_fit_start(self) -> None:
        if self.device.type == "cpu" and not self.hparams.activation_checkpointing:
            keep_freed_memory()  # the fast setting: freed blocks stay in the heap for the next step
        if self.hparams.calibration_tilt and self._calibration_loader() is None:  # now, not after the last step
            raise ValueError("model.calibration_tilt needs held-out calibration questions: set "
                             "data.init_args.calibration_size (QADataModule) to a number of training questions")

    def _calibration_loader(self):
        dm = self.trainer.datamodule if self._trainer is not None else None
        make = getattr(dm, "calibration_dataloader", None)
        return make() if make is not None else None

    def optimizer_step(self, *args, **kwargs) -> None:
        super().optimizer_step(*args, **kwargs)
        if self._head_fit and self._replay:  # here, not in on_train_batch_end: before checkpoint callbacks run
            h = self.hparams
            self._head_loss = self.fit_head(h.confidence_head_steps + (h.confidence_head_final_steps
                                                                        if self._last_step() else 0))
        if self.hparams.calibration_tilt and self._last_step():  # before the last checkpoint, too
            self._tilt = t = calibrate_level(self, self._calibration_loader())
            self._tilt_unlogged = True
            if self.trainer.is_global_zero:
                print(f"calibration tilt: beta {t['beta']:+.2f} on {t['questions']} held-out questions: accuracy "
                      f"{t['accuracy']:.3f}, stated {t['confidence_before']:.3f} -> {t['confidence_after']:.3f}",
                      flush=True)

    def _last_step(self) -> bool:
        """Is the optimizer step just taken the fit's last one (``max_steps`` reached, or the last batch of the
        last epoch)?"""
        t = self._trainer
        if t is None:
            return False
        if t.max_steps is not None and t.max_steps > 0:
            return self.global_step + 1 >= t.max_steps  # Lightning counts this step once optimizer_step returns
        return bool(t.is_last_batch) and t.max_epochs is not None and 0 < t.max_epochs <= t.current_epoch + 1

    def on_train_batch_end(self, outputs, batch: dict, batch_idx: int) -> None:
        if getattr(self, "_tilt_unlogged", False):
            self.log_dict({f"calibration/{k}": float(v) for k, v in self._tilt.items()}, batch_size=1)
            self._tilt_unlogged = False
        if getattr(self, "_head_loss", None) is not None:
            self.log("train/head_loss", self._head_loss, batch_size=len(batch["question"]))
            self._head_loss = None
        if self.hparams.activation_checkpointing:  # the low-memory setting: give the step's temporaries back
            release_freed_memory()  # (the next step pays the page faults again, so not by default)

    def on_train_batch_start(self, batch: dict, batch_idx: int) -> None:
        pending = getattr(self, "_pending_rng", None)
        if pending:
            torch.set_rng_state(pending["torch_rng_state"])
            if "cuda_rng_state" in pending and torch.cuda.is_available():
                torch.cuda.set_rng_state_all(pending["cuda_rng_state"])
            self._pending_rng = None
