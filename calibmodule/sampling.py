"""Rollouts: sample N answers(+confidence) per prompt with a KV cache, and score them again with grad.

Sampling (``sample_rollouts``) prefills each prompt *once*, repeats its KV cache N times and
decodes all B·N rows together. Per row a small state machine runs:

* ``constrained`` mode: ANSWER (policy tokens; end-of-turn tokens are merged into "\\n", so
  the answer always ends with a newline action) -> SCAFFOLD (forced "Confidence: ", not an
  action) -> DIGIT (one token drawn from the policy restricted to "0".."9", an action) -> DONE.
  An answer that reaches ``max_answer_tokens`` gets a forced newline.
* ``tags`` mode: ANSWER until an end-of-turn token (an action) or the token limit.

``completion_logprobs`` recomputes the log-probabilities of the action tokens under the current
policy *with* grad, using the same logit transforms, again running each prompt once and
repeating its (differentiable) KV cache N times. The transforms are read from the
:class:`SamplerConfig` that rides on the :class:`Rollouts`, so the log-prob pass cannot use other
settings than the sampler did. Answer tokens are drawn from ``softmax(logits / T)`` with the
end-of-turn mass then moved onto the newline; the digit from ``softmax(digit_logits / T_conf)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import inspect

import torch

from calibmodule.prompting import NUM_CONF_BINS, SCAFFOLD, ConfidenceMode, digit_to_confidence

ANSWER, SCAFFOLD_PHASE, DIGIT, DONE = 0, 1, 2, 3
FORCED, ANSWER_TOKEN, CONF_TOKEN = 0, 1, 2  # action kinds


@dataclass
class TokenSpec:
    """Token ids the sampler needs, read once from the tokenizer."""

    newline_id: int
    newline_like: torch.Tensor  # (V,) bool: tokens whose text contains "\n"
    stop_ids: list[int]  # end-of-turn ids (merged into newline in constrained mode)
    scaffold_ids: list[int]
    digit_ids: list[int]  # NUM_CONF_BINS ids for "0".."9"
    pad_id: int

    @classmethod
    def from_tokenizer(cls, tok, vocab_size: int) -> TokenSpec:
        nl = tok.encode("\n", add_special_tokens=False)
        digits = [tok.encode(str(d), add_special_tokens=False) for d in range(NUM_CONF_BINS)]
        if len(nl) != 1 or any(len(d) != 1 for d in digits):
            raise ValueError("constrained confidence needs single-token '\\n' and digits 0-9 in the tokenizer")
        newline_like = torch.zeros(vocab_size, dtype=torch.bool)
        for i in range(min(len(tok), vocab_size)):
            if "\n" in tok.decode([i]):
                newline_like[i] = True
        stops = {tok.eos_token_id}
        for t in ("<|im_end|>", "<|eot_id|>", "<|endoftext|>"):
            i = tok.convert_tokens_to_ids(t)
            if isinstance(i, int) and i != tok.unk_token_id and i >= 0:
                stops.add(i)
        stops.discard(None)
        for s in stops:
            newline_like[s] = False
        return cls(nl[0], newline_like, sorted(stops), tok.encode(SCAFFOLD, add_special_tokens=False),
                   [d[0] for d in digits], tok.pad_token_id)


@dataclass(frozen=True)
class SamplerConfig:
    """How rollouts are drawn; travels with the :class:`Rollouts` it produced.

    Attributes:
        mode: ``constrained`` (answer line, forced "Confidence: ", one digit) or ``tags`` (free text).
        max_answer_tokens: answer length limit in tokens (a longer answer is cut: a forced newline).
        temperature: answer-token temperature (0: greedy).
        confidence_temperature: temperature of the confidence digit (None: ``temperature``; 0: argmax).
    """

    mode: ConfidenceMode = "constrained"
    max_answer_tokens: int = 32
    temperature: float = 1.0
    confidence_temperature: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("constrained", "tags"):
            raise ValueError(f"confidence_mode must be 'constrained' or 'tags', got {self.mode!r}")
        if self.max_answer_tokens < 1:
            raise ValueError(f"max_answer_tokens must be >= 1, got {self.max_answer_tokens}")
        if not self.temperature >= 0:
            raise ValueError(f"temperature must be >= 0, got {self.temperature}")
        if self.confidence_temperature is not None and not self.confidence_temperature >= 0:
            raise ValueError(f"confidence_temperature must be >= 0, got {self.confidence_temperature}")

    @property
    def conf_temperature(self) -> float:
        return self.temperature if self.confidence_temperature is None else self.confidence_temperature

    def greedy(self) -> SamplerConfig:
        """The same format and budget, decoded greedily (what a user sees)."""
        return SamplerConfig(self.mode, self.max_answer_tokens, 0.0, 0.0)


@dataclass
class Rollouts:
    prompt_ids: torch.Tensor  # (B, P) left-padded
    prompt_mask: torch.Tensor  # (B, P)
    completion_ids: torch.Tensor  # (B*N, C)
    completion_mask: torch.Tensor  # (B*N, C) 1 where a token exists
    kinds: torch.Tensor  # (B*N, C) FORCED / ANSWER_TOKEN / CONF_TOKEN
    answers: list[str]  # (B*N) answer text
    confidences: torch.Tensor  # (B*N,) stated confidence, nan if unparseable
    conf_probs: torch.Tensor | None  # (B*N, 10) digit distribution (constrained mode), else None
    texts: list[str]  # (B*N) full completion text, for logging
    n: int
    sampler: SamplerConfig  # the settings these rollouts were drawn with
    sample_logprobs: torch.Tensor  # (B*N, C) log-prob of each action under the distribution it was drawn from
    truncated: torch.Tensor  # (B*N,) bool: the answer hit max_answer_tokens
    extras: dict = field(default_factory=dict)  # filled by callbacks (e.g. "stability": (B,) tensor)

    @property
    def num_prompts(self) -> int:
        return self.prompt_ids.shape[0]


def merge_stop_logits(logits: torch.Tensor, newline_id: int, stop_ids: list[int]) -> torch.Tensor:
    """Move end-of-turn probability mass onto the newline token (no in-place ops; grad-safe).

    logits: (..., V) -> (..., V) with stop ids at -inf and newline at logsumexp(newline, stops).
    """
    idx = [newline_id, *stop_ids]
    merged = torch.logsumexp(logits[..., idx], dim=-1, keepdim=True)
    out = logits.index_fill(-1, torch.tensor(stop_ids, device=logits.device), float("-inf"))
    return out.scatter(-1, torch.full_like(merged, newline_id, dtype=torch.long), merged)


def _pick(logits: torch.Tensor, generator: torch.Generator | None, greedy: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw one token per row from ``softmax(logits)`` (argmax when greedy) -> (ids, their log-probs)."""
    logp = torch.log_softmax(logits.float(), dim=-1)
    tok = logp.argmax(-1) if greedy else torch.multinomial(logp.exp(), 1, generator=generator).squeeze(-1)
    return tok, logp.gather(-1, tok[:, None]).squeeze(-1)


def _tempered(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return logits / temperature if temperature > 0 else logits


def _cache_kw(model) -> str:
    """transformers renamed ``past_key_values`` to ``cache`` (5.x); pass whichever this version takes."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return "cache" if "cache" in inspect.signature(type(base).forward).parameters else "past_key_values"


def _out_cache(out):
    return out.cache if getattr(out, "cache", None) is not None else out.past_key_values


def _positions(mask: torch.Tensor) -> torch.Tensor:
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


@torch.no_grad()
def sample_rollouts(model, tokenizer, spec: TokenSpec, prompts: list[str], n: int, cfg: SamplerConfig,
                    generator: torch.Generator | None = None) -> Rollouts:
    """Sample ``n`` completions for each prompt (temperature 0: greedy). See module docstring."""
    mode, max_answer_tokens, temperature = cfg.mode, cfg.max_answer_tokens, cfg.temperature
    device = next(model.parameters()).device
    enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
    p_ids, p_mask = enc["input_ids"], enc["attention_mask"]
    out = model(input_ids=p_ids, attention_mask=p_mask, position_ids=_positions(p_mask), use_cache=True,
                logits_to_keep=1)
    ckw = _cache_kw(model)
    cache = _out_cache(out)
    cache.batch_repeat_interleave(n)
    logits = out.logits[:, -1].float().repeat_interleave(n, 0)  # (BN, V)
    mask = p_mask.repeat_interleave(n, 0)
    rows = logits.shape[0]
    phase = torch.full((rows,), ANSWER, device=device)
    ans_len = torch.zeros(rows, dtype=torch.long, device=device)
    scaf_k = torch.zeros(rows, dtype=torch.long, device=device)
    scaffold = torch.tensor(spec.scaffold_ids, device=device)
    digits = torch.tensor(spec.digit_ids, device=device)
    newline_like = spec.newline_like.to(device)
    stops = torch.tensor(spec.stop_ids, device=device)
    conf_t = cfg.conf_temperature
    conf_probs = torch.zeros(rows, NUM_CONF_BINS, device=device)
    truncated = torch.zeros(rows, dtype=torch.bool, device=device)
    ids, present, kinds, lps = [], [], [], []
    while True:
        nxt = torch.full((rows,), spec.pad_id, dtype=torch.long, device=device)
        kind = torch.full((rows,), FORCED, dtype=torch.long, device=device)
        lp = torch.zeros(rows, device=device)
        here = phase != DONE
        a = phase == ANSWER
        if mode == "constrained":
            over = a & (ans_len >= max_answer_tokens)  # forced newline, then scaffold
            nxt[over] = spec.newline_id
            truncated |= over
            a = a & ~over
            if a.any():  # temperature first, then end-of-turn mass onto the newline (as completion_logprobs)
                tl = merge_stop_logits(_tempered(logits[a], temperature), spec.newline_id, spec.stop_ids)
                nxt[a], lp[a] = _pick(tl, generator, temperature <= 0)
                kind[a] = ANSWER_TOKEN
            s = phase == SCAFFOLD_PHASE
            if s.any():
                nxt[s] = scaffold[scaf_k[s]]
            d = phase == DIGIT
            if d.any():
                dl = _tempered(logits[d][:, digits], conf_t)
                conf_probs[d] = torch.softmax(dl, -1)
                pick, lp[d] = _pick(dl, generator, conf_t <= 0)
                nxt[d], kind[d] = digits[pick], CONF_TOKEN
            # transitions
            ended = (a & newline_like[nxt]) | over
            ans_len += a.long()
            scaf_k += s.long()
            phase = torch.where(ended, SCAFFOLD_PHASE, phase)
            phase = torch.where(s & (scaf_k >= len(spec.scaffold_ids)), DIGIT, phase)
            phase = torch.where(d, DONE, phase)
        else:
            if a.any():
                nxt[a], lp[a] = _pick(_tempered(logits[a], temperature), generator, temperature <= 0)
                kind[a] = ANSWER_TOKEN
            ans_len += a.long()
            stop = torch.isin(nxt, stops)
            truncated |= a & ~stop & (ans_len >= max_answer_tokens)
            ended = a & (stop | (ans_len >= max_answer_tokens))
            phase = torch.where(ended, DONE, phase)
        ids.append(nxt)
        present.append(here)
        kinds.append(kind)
        lps.append(lp)
        if bool((phase == DONE).all()):
            break
        mask = torch.cat([mask, here.long()[:, None]], dim=1)
        step = model(input_ids=nxt[:, None], attention_mask=mask, position_ids=mask.sum(-1, keepdim=True) - 1,
                     use_cache=True, **{ckw: cache})
        cache = _out_cache(step)
        logits = step.logits[:, -1].float()

    c_ids = torch.stack(ids, 1)
    c_mask = torch.stack(present, 1).long()
    c_kinds = torch.stack(kinds, 1)
    texts = tokenizer.batch_decode(torch.where(c_mask.bool(), c_ids, spec.pad_id), skip_special_tokens=True)
    if mode == "constrained":
        answer_ids = torch.where(c_kinds == ANSWER_TOKEN, c_ids, spec.pad_id)
        answers = [t.split("\n")[0].strip() for t in tokenizer.batch_decode(answer_ids, skip_special_tokens=True)]
        digit_idx = ((c_ids[..., None] == digits).any(-1) & (c_kinds == CONF_TOKEN)).float().argmax(1)
        chosen = c_ids.gather(1, digit_idx[:, None]).squeeze(1)
        conf = torch.tensor([digit_to_confidence(int((digits == t).nonzero()[0, 0])) for t in chosen],
                            device=device)
        probs = conf_probs
    else:
        from calibmodule.prompting import extract_answer, extract_confidence

        answers = [extract_answer(t) or "" for t in texts]
        conf = torch.tensor([c if (c := extract_confidence(t)) is not None else float("nan") for t in texts],
                            device=device)
        probs = None
    return Rollouts(p_ids, p_mask, c_ids, c_mask, c_kinds, answers, conf, probs, texts, n, cfg,
                    torch.stack(lps, 1), truncated)


def completion_logprobs(model, r: Rollouts, spec: TokenSpec, digit_dist: bool = False):
    """Per-token log-probs of the action tokens under ``model`` (with grad); 0 elsewhere. (B*N, C)

    The same transforms as the sampler that drew ``r`` (``r.sampler``): temperature, then
    end-of-turn mass merged into the newline for answer tokens (constrained), and the digit
    softmax restricted to the ten digit tokens at the confidence temperature. With
    ``digit_dist=True`` (constrained mode) also returns the log of the whole confidence-digit
    distribution at each rollout's confidence position, (B*N, 10) with grad.
    """
    n = r.n
    out = model(input_ids=r.prompt_ids, attention_mask=r.prompt_mask, position_ids=_positions(r.prompt_mask),
                use_cache=True, logits_to_keep=1)
    first = out.logits[:, -1:].repeat_interleave(n, 0)  # (BN, 1, V) predicts completion token 0
    tgt, kinds = r.completion_ids, r.kinds
    lp = [action_logprobs(first, tgt[:, :1], kinds[:, :1], spec, r.sampler)]
    if tgt.shape[1] > 1:
        cache = _out_cache(out)
        cache.batch_repeat_interleave(n)
        mask = torch.cat([r.prompt_mask.repeat_interleave(n, 0), r.completion_mask], dim=1)  # (BN, P+C)
        P, C = r.prompt_ids.shape[1], tgt.shape[1]
        rest = model(input_ids=tgt[:, :-1], attention_mask=mask[:, : P + C - 1],
                     position_ids=_positions(mask)[:, P : P + C - 1], use_cache=True,
                     **{_cache_kw(model): cache}).logits
        lp.append(action_logprobs(rest, tgt[:, 1:], kinds[:, 1:], spec, r.sampler))
    else:
        rest = first[:, :0]
    lp = torch.cat(lp, dim=1)
    if not digit_dist:
        return lp
    if r.sampler.mode != "constrained":
        raise ValueError("digit_dist needs constrained confidence mode")
    logits = torch.cat([first, rest], dim=1)  # (BN, C, V): logits that predicted each completion token
    pos = (kinds == CONF_TOKEN).float().argmax(1)  # (BN,) the confidence position of each rollout
    at = logits[torch.arange(logits.shape[0], device=logits.device), pos]  # (BN, V)
    return lp, digit_log_dist(at, spec, r.sampler)


def digit_log_dist(logits: torch.Tensor, spec: TokenSpec, cfg: SamplerConfig) -> torch.Tensor:
    """Log of the confidence-digit distribution the sampler draws from. (..., V) -> (..., 10)"""
    ct = cfg.conf_temperature if cfg.conf_temperature > 0 else 1.0
    return torch.log_softmax(logits[..., spec.digit_ids].float() / ct, -1)


def action_logprobs(logits: torch.Tensor, tgt: torch.Tensor, kinds: torch.Tensor, spec: TokenSpec,
                    cfg: SamplerConfig) -> torch.Tensor:
    """Log-prob of each action token under the sampler's transforms; 0 at forced/pad positions.

    logits (BN, C, V), tgt/kinds (BN, C) -> (BN, C). Merging end-of-turn mass into the newline
    leaves the softmax normaliser unchanged, so no merged (BN, C, V) copy is built. A temperature
    of 0 (greedy) scores the untempered distribution.
    """
    raw = logits.float()
    t = cfg.temperature if cfg.temperature > 0 else 1.0
    logits = raw / t if t != 1.0 else raw
    lse = torch.logsumexp(logits, -1)  # (BN, C)
    tok_logit = logits.gather(-1, tgt[..., None]).squeeze(-1)
    if cfg.mode == "constrained":
        nl = torch.logsumexp(logits[..., [spec.newline_id, *spec.stop_ids]], -1)
        tok_logit = torch.where(tgt == spec.newline_id, nl, tok_logit)
        digits = torch.tensor(spec.digit_ids, device=tgt.device)
        which = (tgt[..., None] == digits).float().argmax(-1)  # (BN, C)
        lp_digit = digit_log_dist(raw, spec, cfg).gather(-1, which[..., None]).squeeze(-1)
        lp = torch.where(kinds == CONF_TOKEN, lp_digit, tok_logit - lse)
    else:
        lp = tok_logit - lse
    return torch.where(kinds == FORCED, torch.zeros_like(lp), lp)
