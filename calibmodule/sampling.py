"""Rollouts: sample N answers(+confidence) per prompt with a KV cache, and score them again with grad.

Sampling (``sample_rollouts``) prefills each prompt *once* (or takes a :class:`Prefill` the training
step already computed with grad), repeats its KV cache N times into an in-place cache
(``calibmodule.kvcache``) and decodes all B·N rows together. Per row a small state machine runs:

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

import inspect
import math
from contextlib import nullcontext
from dataclasses import dataclass, field

import torch
from transformers.cache_utils import DynamicLayer

from calibmodule.cpu_linear import PACKED_ATTR
from calibmodule.kvcache import reserve, shared_prefix_attention_on, shared_prefix_cache, supports_shared_prefix
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
        scaffold = tok.encode(SCAFFOLD, add_special_tokens=False)
        if len(nl) != 1 or any(len(d) != 1 for d in digits):
            # a sentencepiece tokenizer (Llama 2, Mistral) writes a word-start mark before a piece encoded alone
            # ("5" -> "▁", "5"): read each piece where it stands, after the answer and after the scaffold
            nl = _piece_after(tok, "a", "\n")
            scaffold = _piece_after(tok, "a\n", SCAFFOLD, single=False) or scaffold
            digits = [_piece_after(tok, "a\n" + SCAFFOLD, str(d)) for d in range(NUM_CONF_BINS)]
            if nl is None or None in digits:
                raise ValueError("constrained confidence needs '\\n' and each digit 0-9 to be one token where they stand in "
                                 "'<answer>\\nConfidence: <digit>'; this tokenizer splits them: use "
                                 "confidence_mode: tags")
        newline_like = torch.zeros(vocab_size, dtype=torch.bool)
        for i in range(min(len(tok), vocab_size)):
            if "\n" in tok.decode([i]):
                newline_like[i] = True
        stops = {tok.eos_token_id}
        # end-of-turn markers of common chat formats: ChatML, Llama 3 (and 3.1's tool turn), GPT, Gemma, Phi-3
        for t in ("<|im_end|>", "<|eot_id|>", "<|eom_id|>", "<|endoftext|>", "<end_of_turn>", "<|end|>"):
            i = tok.convert_tokens_to_ids(t)
            if isinstance(i, int) and i != tok.unk_token_id and i >= 0:
                stops.add(i)
        stops.discard(None)
        for s in stops:
            newline_like[s] = False
        return cls(nl[0], newline_like, sorted(stops), scaffold, [d[0] for d in digits], tok.pad_token_id)


def _piece_after(tok, context: str, piece: str, single: bool = True) -> list[int] | None:
    """The ids ``piece`` adds after ``context`` (one id when ``single``); None when its tokens merge with the context's
    or (``single``) there are several."""
    base = tok.encode(context, add_special_tokens=False)
    ids = tok.encode(context + piece, add_special_tokens=False)
    added = ids[len(base):]
    if ids[:len(base)] != base or not added or (single and len(added) != 1):
        return None
    return added


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
        if not 0 <= self.temperature < math.inf:
            raise ValueError(f"temperature must be >= 0 and finite, got {self.temperature}")
        if self.confidence_temperature is not None and not 0 <= self.confidence_temperature < math.inf:
            raise ValueError(f"confidence_temperature must be >= 0 and finite, got {self.confidence_temperature}")

    @property
    def conf_temperature(self) -> float:
        return self.temperature if self.confidence_temperature is None else self.confidence_temperature

    def greedy(self, max_answer_tokens: int | None = None) -> SamplerConfig:
        """The same format and confidence distribution, decoded greedily (what a user sees); the same budget
        unless ``max_answer_tokens`` is given."""
        return SamplerConfig(self.mode, max_answer_tokens or self.max_answer_tokens, 0.0, self.conf_temperature,
                             greedy_digit=True)


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
    answer_feats: torch.Tensor | None = None  # (B*N, 3) answer_features (constrained mode), what the head read
    extras: dict = field(default_factory=dict)  # filled by callbacks (e.g. "stability": (B,) tensor)

    @property
    def num_prompts(self) -> int:
        return self.prompt_ids.shape[0]


NUM_ANSWER_FEATURES = 3


def answer_features(lp_sum: torch.Tensor, lp_min: torch.Tensor, n: torch.Tensor) -> torch.Tensor:
    """What the model's own token probabilities say about an answer, (R,) x 3 -> (R, 3): the mean and the
    minimum untempered log-probability of its answer tokens (the end-of-answer newline included) and its
    length / 10. On the base SmolLM2 the mean alone ranks greedy answers at val AUROC 0.70 (its stated
    digit: 0.51)."""
    n_f = n.float()
    mean = torch.where(n > 0, lp_sum / n_f.clamp(min=1), torch.zeros_like(lp_sum))
    return torch.stack([mean, torch.where(n > 0, lp_min, torch.zeros_like(lp_min)), n_f / 10], -1)


class ConfidenceHead(torch.nn.Module):
    """Digit logits += W·rms(h) + U·f + b at the confidence position only, h = the LM's last hidden state
    there, f = :func:`answer_features` of the answer just given (its own mean/min token log-prob, length).

    Zero-initialised (step 0 is the unchanged model). It sits at the one position where the digit is
    stated, so answers are untouched by it; it lets the stated confidence read what the model's own
    hidden state and token probabilities know about its answer (ALIEN-style) with a learning rate the
    LoRA could not take."""

    def __init__(self, hidden_size: int, bins: int = NUM_CONF_BINS, answer_features: bool = True) -> None:
        super().__init__()
        self.proj = torch.nn.Linear(hidden_size, bins)
        self.lik = torch.nn.Linear(NUM_ANSWER_FEATURES, bins, bias=False) if answer_features else None
        for w in (self.proj.weight, self.proj.bias, *([self.lik.weight] if self.lik is not None else [])):
            torch.nn.init.zeros_(w)

    def forward(self, hidden: torch.Tensor, feats: torch.Tensor | None = None, dropout: float = 0.0,
                generator: torch.Generator | None = None) -> torch.Tensor:
        """(..., D) [, (..., 3)] -> (..., bins) added to the digit logits; h is RMS-normalised (no parameters).
        ``dropout``: drop that share of the normalised hidden state's entries (inverted dropout; the replay fit
        passes ``confidence_head_dropout``, sampling and evaluation pass nothing). The mask is drawn on the CPU
        from ``generator`` (None: the global stream), so the fit can keep its own random stream on any device."""
        h = hidden.to(self.proj.weight.dtype)
        h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-6)
        if dropout > 0:
            keep = torch.rand(h.shape, generator=generator).to(h.device) >= dropout
            h = h * keep / (1.0 - dropout)
        z = self.proj(h)
        if self.lik is not None:
            if feats is None:
                raise ValueError("this confidence head reads the answer's features: pass them")
            z = z + self.lik(feats.to(z.dtype))
        return z


def _pick(logits: torch.Tensor, generator: torch.Generator | None, greedy: bool) -> tuple[torch.Tensor, torch.Tensor]:
    """Draw one token per row from ``softmax(logits)`` (argmax when greedy) -> (ids, their log-probs).

    Sampling inverts the CDF with one uniform per row (cumsum + searchsorted): exact, and on CPU far
    cheaper than ``multinomial``, whose per-element exponential draws cost more than a small model's step."""
    p = torch.softmax(logits.float(), dim=-1)  # (rows, V)
    if greedy:
        tok = p.argmax(-1)
    else:
        cdf = p.cumsum(-1)
        g_dev = generator.device if generator is not None else p.device
        u = torch.rand(p.shape[0], 1, generator=generator, device=g_dev).to(p.device) * cdf[:, -1:]
        tok = torch.searchsorted(cdf, u, right=True).squeeze(-1).clamp_(max=p.shape[-1] - 1)
    return tok, p.gather(-1, tok[:, None]).squeeze(-1).log()


def _tempered(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    return logits / temperature if temperature > 0 else logits


def cache_kwarg(module) -> str:
    """transformers renamed ``past_key_values`` to ``cache`` (5.x); pass whichever this version takes."""
    base = module.get_base_model() if hasattr(module, "get_base_model") else module
    return "cache" if "cache" in inspect.signature(type(base).forward).parameters else "past_key_values"


def output_cache(out):
    return out.cache if getattr(out, "cache", None) is not None else out.past_key_values


def positions_from_mask(mask: torch.Tensor) -> torch.Tensor:
    return (mask.long().cumsum(-1) - 1).clamp(min=0)


def encode_prompts(tokenizer, prompts: list[str], device) -> tuple[torch.Tensor, torch.Tensor]:
    """Prompt texts -> left-padded (B, P) ids and attention mask, as the sampler feeds them."""
    enc = tokenizer(prompts, return_tensors="pt", padding=True, add_special_tokens=False).to(device)
    return enc["input_ids"], enc["attention_mask"]


@dataclass
class Prefill:
    """The prompts' forward pass, shared by the sampler and the training log-prob pass (which computes it
    once, with grad, and hands the sampler a detached copy): ids/mask (B, P), the last position's hidden
    state (B, 1, D), and every layer's keys and values flat: [k0, v0, k1, v1, ...], each (B, H, P, Dh)."""

    ids: torch.Tensor
    mask: torch.Tensor
    last: torch.Tensor
    kv: list[torch.Tensor]

    def cache(self, dtype: torch.dtype):
        """A detached DynamicCache of these keys/values in ``dtype``."""
        from transformers import DynamicCache

        kv = [t.detach().to(dtype) for t in self.kv]
        return DynamicCache(ddp_cache_data=[(kv[i], kv[i + 1]) for i in range(0, len(kv), 2)])


OUTPUT_BLOCK = 2048  # rows of the output layer per block in output_logits (4.7 MB of fp32 at D = 576)


def output_logits(h: torch.Tensor, w: torch.Tensor, bias: torch.Tensor | None = None) -> torch.Tensor:
    """``h @ wᵀ (+ bias)`` for an output layer, (M, D) x (V, D) -> (M, V), V ≫ D.

    On CPU, MKL runs this shape far below its usual rate (SmolLM2's 49152 x 576 head at 32 rows: 64
    GFLOP/s, 30 ms; the model's own 1536 x 576 layers run at 140-190). Computed as blocks of
    ``OUTPUT_BLOCK`` rows of w times hᵀ into a (V, M) buffer it is 1.4-1.7x faster (17 ms at 32 rows,
    86 ms against 126 at 256). The result is that buffer's transposed view (strides (1, M)); use
    ``.contiguous()`` where a kernel wants rows. Same values up to float summation order. Elsewhere (GPU,
    autograd through it, mixed dtypes, small vocabularies): the plain matmul."""
    plain = (h.device.type != "cpu" or h.dim() != 2 or h.dtype != w.dtype or w.shape[0] < 4 * OUTPUT_BLOCK
             or (torch.is_grad_enabled() and (h.requires_grad or w.requires_grad))
             or torch.is_autocast_enabled("cpu"))
    if plain:
        return torch.nn.functional.linear(h, w, bias)
    out = h.new_empty(w.shape[0], h.shape[0])
    ht = h.T
    for s in range(0, w.shape[0], OUTPUT_BLOCK):
        torch.mm(w[s : s + OUTPUT_BLOCK], ht, out=out[s : s + OUTPUT_BLOCK])
    z = out.T
    return z + bias if bias is not None else z


@dataclass
class LMParts:
    """A causal LM split into its decoder (-> last hidden state) and its output layer, so callers compute
    logits only where they need them (the sampler: the last position; the log-prob pass: chunk by chunk).

    ``logits(h)`` reproduces the model's own logits: ``lm_head(h)``, times ``logit_mult`` (Cohere's
    ``logit_scale``, Granite's ``1 / logits_scaling``), then ``softcap * tanh(z / softcap)`` (Gemma 2/3)."""

    decoder: torch.nn.Module
    head: torch.nn.Linear
    ckw: str
    logit_mult: float = 1.0
    softcap: float | None = None

    def logits(self, h: torch.Tensor) -> torch.Tensor:
        """(M, D) -> (M, V), rows contiguous. On CPU, up to 128 rows (decoding): :func:`output_logits`, whose
        gain is then larger than the copy back to rows; otherwise (and for a head with hooks) the module."""
        head = self.head
        if getattr(head, PACKED_ATTR, None) is not None:  # inside models.sampling_weights on CPU: prepacked
            z = head(h)
        elif h.device.type == "cpu" and h.shape[0] <= 128 and not (head._forward_hooks or head._forward_pre_hooks):
            z = output_logits(h, head.weight, head.bias).contiguous()
        else:
            z = head(h)
        if self.logit_mult != 1.0:
            z = z * self.logit_mult
        if self.softcap:
            z = self.softcap * torch.tanh(z / self.softcap)
        return z

    def __call__(self, **kw):
        """The decoder's forward; ``cache=`` is passed under this transformers version's name."""
        if "cache" in kw:
            kw[self.ckw] = kw.pop("cache")
        return self.decoder(**kw)


def lm_parts(model) -> LMParts:
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    decoder, head = base.get_decoder(), base.get_output_embeddings()
    if decoder is base or not isinstance(head, torch.nn.Linear):
        raise ValueError(f"{type(base).__name__}: cannot split into a decoder and a linear output layer")
    cfg = base.config.get_text_config() if hasattr(base.config, "get_text_config") else base.config
    mult = float(getattr(cfg, "logit_scale", None) or 1.0)
    if getattr(cfg, "logits_scaling", None):
        mult /= float(cfg.logits_scaling)
    softcap = getattr(cfg, "final_logit_softcapping", None)
    return LMParts(decoder, head, cache_kwarg(decoder), mult, float(softcap) if softcap else None)


@torch.no_grad()
def sample_rollouts(model, tokenizer, spec: TokenSpec, prompts: list[str], n: int, cfg: SamplerConfig,
                    generator: torch.Generator | None = None, conf_head: ConfidenceHead | None = None,
                    prefill: Prefill | None = None) -> Rollouts:
    """Sample ``n`` completions for each prompt (temperature 0: greedy). See module docstring.
    ``conf_head`` (constrained mode) adds its logits to the digit logits at the confidence position.
    ``prefill``: the prompts' forward pass already computed (``logprobs.prompt_prefill``) for these
    prompts; used (detached) instead of running it again.

    Each step works on the rows still decoding (``alive``) with no per-phase branching: every phase's
    next token is computed for every live row and chosen with ``torch.where``, so the loop synchronises
    with the device once per step (to drop finished rows), as ``generate`` does."""
    mode, max_answer_tokens, temperature = cfg.mode, cfg.max_answer_tokens, cfg.temperature
    device = next(model.parameters()).device
    lm = lm_parts(model)
    want_h = conf_head is not None and mode == "constrained"
    if prefill is None:
        p_ids, p_mask = encode_prompts(tokenizer, prompts, device)
        out = lm(input_ids=p_ids, attention_mask=p_mask, position_ids=positions_from_mask(p_mask), use_cache=True)
        cache, last = output_cache(out), out.last_hidden_state[:, -1]
    else:
        p_ids, p_mask = prefill.ids, prefill.mask
        dt = lm.head.weight.dtype  # the sampling snapshot's dtype
        cache, last = prefill.cache(dt), prefill.last[:, -1].detach().to(dt)
    room = max_answer_tokens + len(spec.scaffold_ids) + 3
    shared = None  # on CPU the N rollouts of a prompt share its keys/values (kvcache.SharedPrefix)
    if supports_shared_prefix(model) and all(type(layer) is DynamicLayer for layer in cache.layers):
        cache, shared = shared_prefix_cache([(layer.keys, layer.values) for layer in cache.layers], p_mask, n, room)
    else:
        cache.batch_repeat_interleave(n)
        reserve(cache, room)  # written in place while decoding
    h = last.repeat_interleave(n, 0)  # (BN, D) hidden state of the live rows
    la = lm.logits(h).float()  # (alive, V) next-token logits of the live rows
    mask = p_mask.repeat_interleave(n, 0)  # (alive, P + t): attention mask of the rows still decoding
    rows = la.shape[0]
    alive = torch.arange(rows, device=device)  # rows still in the KV cache; finished rows are dropped
    phase = torch.full((rows,), ANSWER, device=device)
    ans_len = torch.zeros(rows, dtype=torch.long, device=device)
    scaf_k = torch.zeros(rows, dtype=torch.long, device=device)
    scaffold = torch.tensor(spec.scaffold_ids, device=device)
    digits = torch.tensor(spec.digit_ids, device=device)
    newline_like = spec.newline_like.to(device)
    stops = torch.tensor(spec.stop_ids, device=device)
    merge_idx = torch.tensor([spec.newline_id, *spec.stop_ids], device=device)
    conf_t = cfg.conf_temperature
    conf_probs = torch.zeros(rows, NUM_CONF_BINS, device=device)
    truncated = torch.zeros(rows, dtype=torch.bool, device=device)
    lp_sum = torch.zeros(rows, device=device)  # the answer's untempered token log-probs: sum and min
    lp_min = torch.zeros(rows, device=device)
    ids, present, kinds, lps = [], [], [], []
    while True:
        ph = phase[alive]
        nxt = torch.full((rows,), spec.pad_id, dtype=torch.long, device=device)
        kind = torch.full((rows,), FORCED, dtype=torch.long, device=device)
        lp = torch.zeros(rows, device=device)
        here = phase != DONE
        a = ph == ANSWER  # (alive,)
        tl = la / temperature if temperature > 0 else la.clone()
        if mode == "constrained":
            over = a & (ans_len[alive] >= max_answer_tokens)  # forced newline, then scaffold
            a = a & ~over
            # temperature first, then end-of-turn mass onto the newline (as completion_logprobs)
            merged = torch.logsumexp(tl.index_select(1, merge_idx), -1)
            tl.index_fill_(1, stops, float("-inf"))
            tl[:, spec.newline_id] = merged
            tok_a, lp_a = _pick(tl, generator, temperature <= 0)
            s = ph == SCAFFOLD_PHASE
            d = ph == DIGIT
            dl = la.index_select(1, digits)
            if want_h:  # the answer's own (untempered, end-of-turn merged) log-probs, then the head
                z_tok = torch.where(tok_a == spec.newline_id, torch.logsumexp(la.index_select(1, merge_idx), -1),
                                    la.gather(1, tok_a[:, None]).squeeze(1))
                raw = torch.where(a, z_tok - torch.logsumexp(la, -1), 0.0)
                lp_sum[alive] += raw
                first = a & (ans_len[alive] == 0)
                lp_min[alive] = torch.where(first, raw, torch.where(a, torch.minimum(lp_min[alive], raw), lp_min[alive]))
                feats = answer_features(lp_sum[alive], lp_min[alive], ans_len[alive])
                dl = dl + conf_head(h, feats).float()
            dl = _tempered(dl, conf_t)
            conf_probs[alive] = torch.where(d[:, None], torch.softmax(dl, -1), conf_probs[alive])
            pick, lp_d = _pick(dl, generator, conf_t <= 0 or cfg.greedy_digit)
            t = torch.where(a, tok_a, torch.where(over, spec.newline_id, spec.pad_id))
            t = torch.where(s, scaffold[scaf_k[alive].clamp(max=len(spec.scaffold_ids) - 1)], t)
            t = torch.where(d, digits[pick], t)
            nxt[alive] = t
            kind[alive] = torch.where(a, ANSWER_TOKEN, torch.where(d, CONF_TOKEN, FORCED))
            lp[alive] = torch.where(a, lp_a, torch.where(d, lp_d, 0.0))
            truncated[alive] |= over
            # transitions
            ended = (a & newline_like[t]) | over
            ans_len[alive] += a.long()
            scaf_k[alive] += s.long()
            ph = torch.where(ended, SCAFFOLD_PHASE, ph)
            ph = torch.where(s & (scaf_k[alive] >= len(spec.scaffold_ids)), DIGIT, ph)
            ph = torch.where(d, DONE, ph)
        else:
            tok_a, lp_a = _pick(tl, generator, temperature <= 0)
            t = torch.where(a, tok_a, spec.pad_id)
            nxt[alive] = t
            kind[alive] = torch.where(a, ANSWER_TOKEN, FORCED)
            lp[alive] = torch.where(a, lp_a, 0.0)
            ans_len[alive] += a.long()
            stop = torch.isin(t, stops)
            truncated[alive] |= a & ~stop & (ans_len[alive] >= max_answer_tokens)
            ph = torch.where(a & (stop | (ans_len[alive] >= max_answer_tokens)), DONE, ph)
        phase[alive] = ph
        ids.append(nxt)
        present.append(here)
        kinds.append(kind)
        lps.append(lp)
        keep = ph != DONE
        n_keep = int(keep.sum())  # the one synchronisation per step
        if n_keep == 0:
            break
        if n_keep < len(alive):  # only unfinished rows are decoded further (no compute on padding)
            sel = keep.nonzero().squeeze(1)
            alive, mask, t = alive[sel], mask[sel], t[sel]
            cache.batch_select_indices(sel)
            if shared is not None:
                shared.select(sel)
        mask = torch.cat([mask, torch.ones_like(mask[:, :1])], dim=1)
        with shared_prefix_attention_on(model, shared) if shared is not None else nullcontext():
            step = lm(input_ids=t[:, None], attention_mask=mask, position_ids=mask.sum(-1, keepdim=True) - 1,
                      use_cache=True, cache=cache)
        if shared is not None and shared.calls != len(cache.layers):  # every layer must have read the prompt part
            raise RuntimeError(f"{type(model).__name__}: {shared.calls} of {len(cache.layers)} layers attended "
                               "through the shared-prompt attention; remove its model_type from kvcache._SHARED_TYPES")
        if shared is not None:
            shared.calls = 0
        cache = output_cache(step)
        h = step.last_hidden_state[:, -1]
        la = lm.logits(h).float()

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
    feats = answer_features(lp_sum, lp_min, ans_len) if want_h else None
    return Rollouts(p_ids, p_mask, c_ids, c_mask, c_kinds, answers, conf, probs, texts, n, cfg,
                    torch.stack(lps, 1), truncated, feats)
