"""Log-probabilities of sampled rollouts under the current policy, with grad (the training pass).

``completion_logprobs`` runs each prompt once, gathers its differentiable KV cache for the rollouts,
and scores them in length-sorted chunks with exactly the transforms of the sampler that drew them
(``Rollouts.sampler``): temperature, end-of-turn mass merged into the newline for answer tokens, the
confidence digit restricted to 0-9 (+ the confidence head) at the confidence temperature.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from calibmodule.sampling import (CONF_TOKEN, FORCED, ConfidenceHead, Rollouts, SamplerConfig, TokenSpec, cache_kwarg,
                                  output_cache, positions_from_mask)


class _ScaleGrad(torch.autograd.Function):
    """Identity forward; gradient times ``scale`` backward (0: a detach that still lets the head learn)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, scale: float) -> torch.Tensor:
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return grad * ctx.scale, None


def completion_logprobs(model, r: Rollouts, spec: TokenSpec, digit_dist: bool = False, rows_per_chunk: int = 16,
                        conf_head: ConfidenceHead | None = None, lm_grad: float = 1.0, features: dict | None = None):
    """Per-token log-probs of the action tokens under ``model`` (with grad); 0 elsewhere. (B*N, C)

    The same transforms as the sampler that drew ``r`` (``r.sampler``): temperature, then
    end-of-turn mass merged into the newline for answer tokens (constrained), and the digit
    softmax restricted to the ten digit tokens at the confidence temperature. With
    ``digit_dist=True`` (constrained mode) also returns the log of the whole confidence-digit
    distribution at each rollout's confidence position, (B*N, 10) with grad (``conf_head`` included);
    ``lm_grad`` scales the gradient that distribution sends into the language model (0: only the head learns).
    ``features`` (a dict, with ``conf_head``) receives the detached inputs of the digit distribution at the
    confidence position: ``hidden`` (B*N, D) and ``lm_digits`` (B*N, 10), for replaying them later.

    Each prompt is run once; its (differentiable) KV cache is then gathered for the rollouts of a
    chunk. Rollouts are sorted by length and run in chunks of ``rows_per_chunk``, each padded only to
    its own longest row, so one rambling rollout does not pad every other row to its length.
    """
    if digit_dist and r.sampler.mode != "constrained":
        raise ValueError("digit_dist needs constrained confidence mode")
    from transformers import DynamicCache

    n, (R, C), P = r.n, r.completion_ids.shape, r.prompt_ids.shape[1]
    out = model(input_ids=r.prompt_ids, attention_mask=r.prompt_mask, position_ids=positions_from_mask(r.prompt_mask),
                use_cache=True, logits_to_keep=1)
    first = out.logits[:, -1:]  # (B, 1, V) predicts completion token 0
    kv = [(layer.keys, layer.values) for layer in output_cache(out).layers]  # each (B, H, P, D)
    lengths = r.completion_mask.sum(1)
    order = torch.argsort(lengths, stable=True)
    lps, digits, hidden, lm_digits = [], [], [], []
    for start in range(0, R, rows_per_chunk):
        idx = order[start : start + rows_per_chunk]  # (k,) rollouts of this chunk
        pr = torch.div(idx, n, rounding_mode="floor")  # (k,) their prompts
        L = max(int(lengths[idx].max()), 1)
        tgt, kinds = r.completion_ids[idx, :L], r.kinds[idx, :L]
        parts = [action_logprobs(first[pr], tgt[:, :1], kinds[:, :1], spec, r.sampler)]
        rest = None
        if L > 1:
            cache = DynamicCache(ddp_cache_data=[(k[pr], v[pr]) for k, v in kv])
            mask = torch.cat([r.prompt_mask[pr], r.completion_mask[idx, :L]], dim=1)  # (k, P+L)
            fwd = model(input_ids=tgt[:, :-1], attention_mask=mask[:, : P + L - 1],
                        position_ids=positions_from_mask(mask)[:, P : P + L - 1], use_cache=True,
                        output_hidden_states=digit_dist and conf_head is not None, **{cache_kwarg(model): cache})
            rest = fwd.logits  # (k, L-1, V)
            parts.append(action_logprobs(rest, tgt[:, 1:], kinds[:, 1:], spec, r.sampler))
        lps.append(F.pad(torch.cat(parts, dim=1), (0, C - L)))
        if digit_dist:  # the digit follows the answer and the scaffold: never completion token 0
            pos = (kinds == CONF_TOKEN).float().argmax(1)  # (k,)
            rows = torch.arange(len(idx), device=rest.device)
            at = rest[rows, pos - 1]
            extra = None
            if conf_head is not None:
                h = fwd.hidden_states[-1][rows, pos - 1]
                extra = conf_head(_ScaleGrad.apply(h, lm_grad))
                hidden.append(h.detach())
                lm_digits.append(at[:, spec.digit_ids].detach().float())
            digits.append(digit_log_dist(_ScaleGrad.apply(at, lm_grad) if lm_grad != 1.0 else at, spec, r.sampler, extra))
    inverse = torch.argsort(order)
    lp = torch.cat(lps)[inverse]
    if features is not None and hidden:
        features["hidden"], features["lm_digits"] = torch.cat(hidden)[inverse], torch.cat(lm_digits)[inverse]
    return (lp, torch.cat(digits)[inverse]) if digit_dist else lp


def digit_log_dist(logits: torch.Tensor, spec: TokenSpec, cfg: SamplerConfig,
                   extra: torch.Tensor | None = None) -> torch.Tensor:
    """Log of the confidence-digit distribution the sampler draws from. (..., V) [+ head (..., 10)] -> (..., 10)"""
    ct = cfg.conf_temperature if cfg.conf_temperature > 0 else 1.0
    z = logits[..., spec.digit_ids].float()
    if extra is not None:
        z = z + extra.float()
    return torch.log_softmax(z / ct, -1)


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
