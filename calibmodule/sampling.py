"""Rollouts: sample N answers(+confidence) per prompt with a KV cache, and score them again with grad.

Sampling (``sample_rollouts``) prefills each prompt *once*, repeats its KV cache N times and
decodes all B·N rows together. Per row a small state machine runs:

* ``constrained`` mode: ANSWER (policy tokens; end-of-turn tokens are merged into "\\n", so
  the answer always ends with a newline action) -> SCAFFOLD (forced "Confidence: ", not an
  action) -> DIGIT (one token drawn from the policy restricted to "0".."9", an action) -> DONE.
  An answer that reaches ``max_answer_tokens`` gets a forced newline.
* ``tags`` mode: ANSWER until an end-of-turn token (an action) or the token limit.

``calibmodule.logprobs.completion_logprobs`` recomputes the log-probabilities of the action tokens
under the current policy *with* grad, with the transforms read from the :class:`SamplerConfig` that
rides on the :class:`Rollouts`. Answer tokens are drawn from ``softmax(logits / T)`` with the
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
        confidence_temperature: temperature of the confidence digit's distribution (None: ``temperature``;
            0: the untempered softmax, digit by argmax).
        greedy_digit: pick the digit by argmax while ``conf_probs`` keeps the tempered distribution (the
            greedy decode of :meth:`greedy`).
    """

    mode: ConfidenceMode = "constrained"
    max_answer_tokens: int = 32
    temperature: float = 1.0
    confidence_temperature: float | None = None
    greedy_digit: bool = False

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
        """The same format, budget and confidence distribution, decoded greedily (what a user sees)."""
        return SamplerConfig(self.mode, self.max_answer_tokens, 0.0, self.conf_temperature, greedy_digit=True)


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


class ConfidenceHead(torch.nn.Module):
    """Digit logits += W·h + b at the confidence position only, h = the LM's last hidden state there.

    Zero-initialised (step 0 is the unchanged model). It sits at the one position where the digit is
    stated, so answers are untouched by it; it lets the stated confidence read what the model's own
    hidden state knows about its answer (ALIEN-style) with a learning rate the LoRA could not take."""

    def __init__(self, hidden_size: int, bins: int = NUM_CONF_BINS) -> None:
        super().__init__()
        self.proj = torch.nn.Linear(hidden_size, bins)
        torch.nn.init.zeros_(self.proj.weight)
        torch.nn.init.zeros_(self.proj.bias)

    def forward(self, hidden: torch.Tensor) -> torch.Tensor:
        """(..., D) -> (..., bins) added to the digit logits; h is RMS-normalised (no parameters) first."""
        h = hidden.to(self.proj.weight.dtype)
        return self.proj(h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6))


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


def cache_kwarg(model) -> str:
    """transformers renamed ``past_key_values`` to ``cache`` (5.x); pass whichever this version takes."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    return "cache" if "cache" in inspect.signature(type(base).forward).parameters else "past_key_values"


def output_cache(out):
    return out.cache if getattr(out, "cache", None) is not None else out.past_key_values


def positions_from_mask(mask: torch.Tensor) -> torch.Tensor:
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


@torch.no_grad()
def sample_rollouts(model, tokenizer, spec: TokenSpec, prompts: list[str], n: int, cfg: SamplerConfig,
                    generator: torch.Generator | None = None, conf_head: ConfidenceHead | None = None) -> Rollouts:
    """Sample ``n`` completions for each prompt (temperature 0: greedy). See module docstring.
    ``conf_head`` (constrained mode) adds its logits to the digit logits at the confidence position."""
    mode, max_answer_tokens, temperature = cfg.mode, cfg.max_answer_tokens, cfg.temperature
    device = next(model.parameters()).device
    enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
    p_ids, p_mask = enc["input_ids"], enc["attention_mask"]
    want_h = conf_head is not None and mode == "constrained"
    out = model(input_ids=p_ids, attention_mask=p_mask, position_ids=positions_from_mask(p_mask), use_cache=True,
                logits_to_keep=1)
    ckw = cache_kwarg(model)
    cache = output_cache(out)
    cache.batch_repeat_interleave(n)
    logits = out.logits[:, -1].float().repeat_interleave(n, 0)  # (BN, V)
    mask = p_mask.repeat_interleave(n, 0)  # (alive, P + t): attention mask of the rows still decoding
    rows = logits.shape[0]
    last_h = None  # (rows, D) last hidden state of each row, for the confidence head
    alive = torch.arange(rows, device=device)  # rows still in the KV cache; finished rows are dropped
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
                dl = logits[d][:, digits]
                if want_h:
                    dl = dl + conf_head(last_h[d]).float()
                dl = _tempered(dl, conf_t)
                conf_probs[d] = torch.softmax(dl, -1)
                pick, lp[d] = _pick(dl, generator, conf_t <= 0 or cfg.greedy_digit)
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
        keep = phase[alive] != DONE  # only unfinished rows are decoded further (no compute on padding)
        if not bool(keep.all()):
            sel = keep.nonzero().squeeze(1)
            alive, mask = alive[sel], mask[sel]
            cache.batch_select_indices(sel)
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=1)
        step = model(input_ids=nxt[alive][:, None], attention_mask=mask, position_ids=mask.sum(-1, keepdim=True) - 1,
                     use_cache=True, output_hidden_states=want_h, **{ckw: cache})
        cache = output_cache(step)
        logits[alive] = step.logits[:, -1].float()
        if want_h:
            h = step.hidden_states[-1][:, -1]
            if last_h is None:
                last_h = torch.zeros(rows, h.shape[-1], dtype=h.dtype, device=device)
            last_h[alive] = h

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
