"""Greedy evaluation of a model that states a confidence: what a user sees, scored.

``GreedyEvaluation`` is the validation/test/predict half of the RL modules (``rl.py`` and, through it,
``entropy_platt.py``): greedy answer, its stated confidence under both read-outs (the expected value of
the confidence-digit distribution and the greedy digit), graded by ``calibmodule.answers``, logged as
torchmetrics (``val/...`` and ``val/<other read-out>/...``), the base model beside it for reports
(adapters off, no confidence head), and prediction rows for ``PredictionWriter``. It expects the
module to have ``policy``, ``tokenizer``, ``spec``, ``sampler``, ``conf_head``, ``prompts()`` and the
metric collections the RL module builds.
"""

from __future__ import annotations

import torch

from calibmodule.answers import grade_batch
from calibmodule.batch import drop_padding
from calibmodule.memory import release_freed_memory
from calibmodule.models import autocast_dtype, check_prompt_lengths, sampling_weights
from calibmodule.prompting import NUM_CONF_BINS, digit_to_confidence
from calibmodule.sampling import sample_rollouts

MIDPOINTS = torch.tensor([digit_to_confidence(d) for d in range(NUM_CONF_BINS)])


class GreedyEvaluation:
    @property
    def prepack(self) -> bool:
        """Sample on oneDNN-prepacked weights on CPU (``models.sampling_weights``) unless ``sampling_prepack`` is off."""
        return bool(self.hparams.get("sampling_prepack", True))

    @torch.no_grad()
    def answer(self, questions: list[str], base: bool = False) -> dict:
        """Greedy answer and stated confidence for each question (what a user sees); ``base``: without the
        confidence head (call it with the adapters disabled for the base model).

        Returns ``{"answers": [str], "completions": [str], "truncated": (B,) bool, "confidence": (B,),
        "confidence_<alt>": (B,), "digit_probs": (B, 10)}``: ``confidence`` is the ``eval_confidence``
        read-out (NaN if unparseable); in constrained mode the other read-out (greedy digit / expected digit) and
        the digit distribution are there too."""
        self.policy.eval()
        with sampling_weights(self.policy, autocast_dtype(self.device), prepack=self.prepack):
            r = sample_rollouts(self.policy, self.tokenizer, self.spec, self.prompts(questions), 1,
                                self.sampler.greedy(self.hparams.eval_max_answer_tokens),
                                conf_head=None if base else self.conf_head)
        conf = {"greedy": r.confidences}
        if r.conf_probs is not None:
            conf["expected"] = r.conf_probs @ MIDPOINTS.to(r.conf_probs)
        out = {"answers": r.answers, "completions": r.texts, "truncated": r.truncated,
               "confidence": conf.get(self.hparams.eval_confidence, conf["greedy"])}
        if "expected" in conf:
            out[f"confidence_{self._alt}"] = conf[self._alt]
            out["digit_probs"] = r.conf_probs  # (B, 10) the digit distribution (calibmodule.tilt fits on it)
        return out

    def check_prompts(self, splits: dict[str, list[dict]]) -> None:
        """Every question's prompt, with room for the longest completion (training or evaluation answer budget and
        the confidence scaffold), fits the model's context (``models.check_prompt_lengths``)."""
        h = self.hparams
        budget = max(h.max_answer_tokens, h.get("eval_max_answer_tokens") or 0) + len(self.spec.scaffold_ids) + 3
        check_prompt_lengths(self.tokenizer, self.policy.config, splits, lambda q: self.prompts([q])[0], budget)

    @torch.no_grad()
    def ask(self, questions: list[str] | str, batch_size: int = 32):
        """[(answer, confidence)] for each question: greedy answer, ``eval_confidence`` read-out. One question
        (a string) gives one Answer; a list gives a list, answered ``batch_size`` at a time."""
        from calibmodule.api import Answer

        single = isinstance(questions, str)
        if not single and not isinstance(questions, (list, tuple)):
            raise TypeError(f"ask takes a question (str) or a list of them, got {type(questions).__name__}")
        qs = [questions] if single else list(questions)
        for i, q in enumerate(qs):
            if not isinstance(q, str) or not q.strip():
                raise ValueError(f"question {i} must be non-empty text, got {type(q).__name__} {str(q)[:60]!r}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {batch_size}")
        self.check_prompts({"asked": [{"id": i, "question": q} for i, q in enumerate(qs)]})
        was_training = self.policy.training
        got = []
        for k in range(0, len(qs), batch_size):
            out = self.answer(qs[k : k + batch_size])
            got += [Answer(a, float(c)) for a, c in zip(out["answers"], out["confidence"].tolist())]
        self.policy.train(was_training)
        return got[0] if single else got

    def _graded(self, batch: dict, out: dict) -> dict:
        if batch.get("answers") is not None:
            out["correct"] = torch.tensor(grade_batch(out["answers"], batch), device=self.device)
        return out

    def _eval_step(self, batch: dict, metrics, alt_metrics) -> dict | None:
        batch = drop_padding(batch)  # the DDP sampler's repeated rows count once (datamodules.qa.EvalSampler)
        if batch is None:
            return None
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
            return self._graded(batch, self.answer(batch["question"], base=True))

    @torch.no_grad()
    def baseline_evals(self, batch: dict) -> dict[str, dict]:
        """Every baseline of the test report: ``base`` and, with ``prompting_baseline``, ``base + calibration
        prompt`` (the base model told to be calibrated, ``prompting.CALIBRATION_INSTRUCTION``)."""
        out = {}
        base = self.baseline_eval(batch)
        if base is None:
            return out
        out["base"] = base
        if self.hparams.get("prompting_baseline", False):
            self._calibration_prompt = True
            try:
                out["base + calibration prompt"] = self.baseline_eval(batch)
            finally:
                self._calibration_prompt = False
        return out

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
        release_freed_memory()

    def on_validation_epoch_end(self) -> None:
        self._end_eval("val")

    def on_test_epoch_end(self) -> None:
        self._end_eval("test")
