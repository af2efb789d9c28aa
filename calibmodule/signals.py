"""Reward signals: what a training step measures about its rollouts before the reward is formed.

A signal is a small object the RL module is configured with (``model.init_args.signals`` in YAML, any
order; the module sorts them so a signal runs after the signals it ``requires``). Called on a step's
rollouts it returns one value per rollout, (R,) in [0, 1], stored under its ``name``; reward terms
(``calibmodule.rewards.TERMS``) read signals by name. A signal may bring its own terms.

Built in: ``correct`` (grading against the gold answers; needs labels), ``stability`` (the stability
blog's 1 - H(clusters)/log N of the question's N answers), ``target`` (Entropy->Platt's calibrated
per-question target, from the module). A term whose signal is not configured gets the built-in one.

A new signal, e.g. "is the answer short?", is one class plus a YAML line (README "Adding a reward"):

>>> import torch
>>> from calibmodule.rewards import brier_vs
>>> class Brevity(Signal):
...     name, terms = "brevity", {"brier_brevity": brier_vs("brevity")}
...     def __call__(self, rollouts, batch, module, values):
...         return torch.tensor([float(len(a.split()) <= 3) for a in rollouts.answers])
"""

from __future__ import annotations

from typing import Literal

import torch

from calibmodule.answers import grade_batch
from calibmodule.entropy import embedding_clusters, stability, string_clusters
from calibmodule.rewards import TERMS, Term


class Signal:
    """Base class. Subclasses set ``name`` (and optionally ``terms``, ``requires``, ``needs_labels``)
    and implement ``__call__(rollouts, batch, module, values) -> (R,)``; ``values`` holds the signals
    computed before this one this step."""

    name: str = ""
    terms: dict[str, Term] = {}
    requires: tuple[str, ...] = ()
    needs_labels: bool = False

    def __call__(self, rollouts, batch: dict, module, values: dict[str, torch.Tensor]) -> torch.Tensor:
        raise NotImplementedError

    def __repr__(self) -> str:
        return f"{type(self).__name__}(name={self.name!r})"


class Correctness(Signal):
    """1 where the rollout's answer is right (``calibmodule.answers.is_correct``), else 0."""

    name, needs_labels = "correct", True

    def __call__(self, rollouts, batch, module, values):
        return torch.tensor(grade_batch(rollouts.answers, batch, rollouts.n), dtype=torch.float)


class Stability(Signal):
    """Per question, 1 - H(clusters)/log N over its N answers, given to each of its rollouts."""

    name = "stability"

    def __init__(self, method: Literal["string", "embedding"] = "string", embedder: str = "all-MiniLM-L6-v2",
                 threshold: float = 0.85) -> None:
        """
        Args:
            method: ``string`` (normalised exact match) or ``embedding`` (sentence-transformers cosine >= threshold).
            embedder: sentence-transformers model name/path for ``embedding`` (offline default).
            threshold: cosine similarity for two answers to share a cluster, in (0, 1].
        """
        if method not in ("string", "embedding"):
            raise ValueError(f"Stability.method must be 'string' or 'embedding', got {method!r}")
        if not 0 < threshold <= 1:
            raise ValueError(f"Stability.threshold must be in (0, 1], got {threshold}")
        self.method, self.embedder_name, self.threshold = method, embedder, threshold
        self._embedder = None

    def _clusters(self, answers: list[str]) -> torch.Tensor:
        if self.method == "string":
            return string_clusters(answers)
        if self._embedder is None:
            from calibmodule.embeddings import load_embedder

            self._embedder = load_embedder(self.embedder_name)
        emb = self._embedder.encode(answers, convert_to_tensor=True, show_progress_bar=False)
        return embedding_clusters(emb.cpu(), self.threshold)

    def __call__(self, rollouts, batch, module, values):
        n = rollouts.n
        per_q = torch.stack([stability(self._clusters(rollouts.answers[i * n : (i + 1) * n]))
                             for i in range(rollouts.num_prompts)])  # (B,)
        return per_q.repeat_interleave(n)


class CalibratedTarget(Signal):
    """The module's calibrated target (``module.per_question_targets(batch, rollouts, values)``: (B,) per
    question, or (B*N,) per answer); computed after ``correct``, which a target re-fitted on the current
    policy reads."""

    name = "target"
    requires = ("correct",)

    def __call__(self, rollouts, batch, module, values):
        t = module.per_question_targets(batch, rollouts, values)
        if t is None:
            raise ValueError(f"{type(module).__name__} has no calibrated targets: reward.brier_target needs "
                             "calibmodule.entropy_platt.EntropyPlattModule")
        t = t.float().cpu()
        return t if t.numel() == len(rollouts.answers) else t.repeat_interleave(rollouts.n)  # (B,) or per answer


BUILT_IN: dict[str, type[Signal]] = {"correct": Correctness, "stability": Stability, "target": CalibratedTarget}
for _cls in BUILT_IN.values():
    _cls.terms = {k: t for k, t in TERMS.items() if t.signal == _cls.name}


def resolve(weights: dict[str, float], signals: list[Signal] | None) -> tuple[list[Signal], dict[str, Term]]:
    """The signals a reward table needs, in dependency order, and the terms they make available.

    Configured signals come first by name; a term's missing signal is filled in with the built-in one;
    ``correct`` is always computed (it is logged as training accuracy). Errors name the term or signal."""
    by_name: dict[str, Signal] = {}
    for s in signals or []:
        if not isinstance(s, Signal) or not s.name:
            raise ValueError(f"signals: {s!r} is not a calibmodule.signals.Signal with a name")
        if s.name in by_name:
            raise ValueError(f"signals: two signals are named {s.name!r}")
        by_name[s.name] = s
    terms = dict(TERMS)
    for s in by_name.values():
        terms.update(s.terms)
    needed = {"correct"} | {terms[k].signal for k, w in weights.items() if w and k in terms}
    for name in sorted(needed - set(by_name)):
        if name not in BUILT_IN:
            raise ValueError(f"a reward term needs the signal {name!r}: add a signal class of that name to "
                             "model.init_args.signals")
        by_name[name] = BUILT_IN[name]()
    order: list[Signal] = []
    visiting: set[str] = set()

    def visit(s: Signal) -> None:
        if s in order:
            return
        if s.name in visiting:
            raise ValueError(f"signals: {s.name!r} requires itself (a cycle)")
        visiting.add(s.name)
        for dep in s.requires:
            if dep not in by_name:
                raise ValueError(f"signal {s.name!r} requires {dep!r}, which is not configured")
            visit(by_name[dep])
        order.append(s)

    for s in by_name.values():
        visit(s)
    return order, terms
