"""Log-probabilities of sampled rollouts under the current policy, with grad (the training pass).

``completion_logprobs`` runs each prompt once, gathers its differentiable KV cache for the rollouts,
and scores them in length-sorted chunks with exactly the transforms of the sampler that drew them
(``Rollouts.sampler``): temperature, end-of-turn mass merged into the newline for answer tokens, the
confidence digit restricted to 0-9 (+ the confidence head) at the confidence temperature.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from calibmodule.sampling import (CONF_TOKEN, FORCED, ConfidenceHead, LMParts, Prefill, Rollouts, SamplerConfig,
                                  TokenSpec, lm_parts, output_cache, output_logits, positions_from_mask)


class _ScaleGrad(torch.autograd.Function):
    """Identity forward; gradient times ``scale`` backward (0: a detach that still lets the head learn)."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, scale: float) -> torch.Tensor:
        ctx.scale = scale
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):
        return grad * ctx.scale, None


class _HeadLogprob(torch.autograd.Function):
    """Log-softmax of the output layer at the target token, chunk by chunk, never holding (N, V).

    Forward, for rows of ``hidden`` in chunks: z = mult·(h Wᵀ) [softcapped], returns the raw logits at
    ``cols`` (N, K) and log softmax(z / T) at ``targets`` (N,). Memory: one (chunk, V) block at a time.

    Backward. With s = dz/du the softcap's slope (1 without one) and p = softmax(z / T):
    d/dh = mult·[ g/T·(s_t·W_t − (p⊙s) W) + Σ_cols g_col·s_col·W_col ]. With a frozen W (LoRA) forward
    stores the (N, D) expectation (p⊙s) W it can compute from the block it already holds, so backward
    needs no (chunk, V) work at all (one output-layer matmul per row instead of two). When W itself is
    trained, backward recomputes each chunk's logits for W's gradient."""

    @staticmethod
    def forward(ctx, hidden, weight, targets, cols, inv_t: float, mult: float, softcap, chunk: int):
        dev = hidden.device.type
        cdt = torch.get_autocast_dtype(dev) if torch.is_autocast_enabled(dev) else hidden.dtype
        w = weight.to(cdt)
        N = hidden.shape[0]
        store = not weight.requires_grad  # frozen output layer: keep (p⊙s) W, recompute nothing
        lp = hidden.new_empty(N, dtype=torch.float32)
        at_cols = hidden.new_empty(N, cols.numel(), dtype=torch.float32)
        lse = hidden.new_empty(N, dtype=torch.float32)
        expect = hidden.new_empty(N, hidden.shape[1], dtype=torch.float32) if store else None
        slope = hidden.new_ones(N, 1 + cols.numel(), dtype=torch.float32) if store else None  # s at target, cols
        with torch.autocast(dev, enabled=False):
            for s in range(0, N, chunk):
                z = _HeadLogprob._logits(hidden[s : s + chunk].to(cdt), w, mult, softcap)  # (c, V) float32
                tg = targets[s : s + chunk, None]
                at_cols[s : s + chunk] = z[:, cols]
                sl = 1 - (z / softcap) ** 2 if (store and softcap) else None  # (c, V) softcap slope
                z.mul_(inv_t)
                lse[s : s + chunk] = torch.logsumexp(z, -1)
                lp[s : s + chunk] = z.gather(-1, tg).squeeze(-1) - lse[s : s + chunk]
                if store:
                    p = z.sub_(lse[s : s + chunk, None]).exp_()  # (c, V) softmax(z / T), in place
                    if sl is not None:
                        p.mul_(sl)
                        slope[s : s + chunk, 0] = sl.gather(-1, tg).squeeze(-1)
                        slope[s : s + chunk, 1:] = sl[:, cols]
                    expect[s : s + chunk] = (p.to(cdt) @ w).float()
        ctx.save_for_backward(hidden, weight, targets, cols, lse, expect, slope)
        ctx.cfg = (inv_t, mult, softcap, chunk, cdt, store)
        return lp, at_cols

    @staticmethod
    def _logits(h, w, mult, softcap):
        z = output_logits(h, w).float()  # on CPU a (V, c) buffer's transposed view: the ops below keep it
        if mult != 1.0:
            z.mul_(mult)
        if softcap:
            z = softcap * torch.tanh(z / softcap)
        return z

    @staticmethod
    def backward(ctx, g_lp, g_cols):
        hidden, weight, targets, cols, lse, expect, slope = ctx.saved_tensors
        inv_t, mult, softcap, chunk, cdt, store = ctx.cfg
        if store:  # (N, D): no output-layer work beyond gathering K + 1 rows of W per row
            w_t = weight[targets].float()  # (N, D)
            w_c = weight[cols].float()  # (K, D)
            g = g_lp.float()[:, None] * inv_t
            g_h = g * (slope[:, :1] * w_t - expect) + (g_cols.float() * slope[:, 1:]) @ w_c
            return (g_h * mult).to(hidden.dtype), None, None, None, None, None, None, None
        w = weight.to(cdt)
        g_h = torch.empty_like(hidden) if ctx.needs_input_grad[0] else None
        g_w = torch.zeros_like(weight, dtype=torch.float32) if ctx.needs_input_grad[1] else None
        rows = torch.arange(min(chunk, hidden.shape[0]), device=hidden.device)
        for s in range(0, hidden.shape[0], chunk):
            h = hidden[s : s + chunk].to(cdt)
            z = _HeadLogprob._logits(h, w, mult, softcap)  # (c, V)
            k = z.shape[0]
            g = g_lp[s : s + chunk, None]
            dz = torch.exp(z * inv_t - lse[s : s + chunk, None]).mul_(-g)  # d lp / d (z/T) · g
            dz[rows[:k], targets[s : s + chunk]] += g.squeeze(-1)
            dz.mul_(inv_t)
            dz[:, cols] += g_cols[s : s + chunk]
            if softcap:
                dz.mul_(1 - (z / softcap) ** 2)
            if mult != 1.0:
                dz.mul_(mult)
            if g_h is not None:
                g_h[s : s + chunk] = (dz.to(cdt) @ w).to(hidden.dtype)
            if g_w is not None:
                g_w += dz.T @ h.float()
        return g_h, (g_w.to(weight.dtype) if g_w is not None else None), None, None, None, None, None, None


def head_logprobs(lm: LMParts, hidden: torch.Tensor, targets: torch.Tensor, cols: torch.Tensor, temperature: float,
                  chunk: int = 256) -> tuple[torch.Tensor, torch.Tensor]:
    """(N, D) hidden states, (N,) targets -> (log softmax(logits/T)[target] (N,), raw logits at ``cols`` (N, K))."""
    if lm.head.bias is not None:
        raise ValueError("an output layer with a bias is not supported by the chunked log-prob pass")
    return _HeadLogprob.apply(hidden, lm.head.weight, targets, cols, 1.0 / temperature, lm.logit_mult, lm.softcap,
                              chunk)


def _run(fn, checkpoint: bool, *args):
    """``fn(*args)``; with ``checkpoint`` (and grad on) keep only the inputs and recompute it in backward."""
    if checkpoint and torch.is_grad_enabled():
        return torch.utils.checkpoint.checkpoint(fn, *args, use_reentrant=False)
    return fn(*args)


def prompt_prefill(model, ids: torch.Tensor, mask: torch.Tensor, checkpoint: bool = False,
                   checkpoint_tokens: int = 256) -> Prefill:
    """The prompts' forward pass (with grad when enabled): last hidden state and every layer's keys/values.
    ``checkpoint``: recomputed in backward, in groups of <= ``checkpoint_tokens`` positions (see
    :func:`completion_logprobs`)."""
    lm = lm_parts(model)

    def prompt_pass(ids, mask):  # -> (b, 1, D) last hidden state, then each layer's keys and values
        out = lm(input_ids=ids, attention_mask=mask, position_ids=positions_from_mask(mask), use_cache=True)
        return (out.last_hidden_state[:, -1:], *[t for layer in output_cache(out).layers for t in (layer.keys, layer.values)])

    B, P = ids.shape
    group = max(1, checkpoint_tokens // max(P, 1)) if checkpoint else B  # prompts per (recomputed) pass
    parts = [_run(prompt_pass, checkpoint, ids[s : s + group], mask[s : s + group]) for s in range(0, B, group)]
    last, *kv = parts[0] if len(parts) == 1 else [torch.cat(t) for t in zip(*parts)]
    return Prefill(ids, mask, last, kv)


def completion_logprobs(model, r: Rollouts, spec: TokenSpec, digit_dist: bool = False, rows_per_chunk: int = 16,
                        conf_head: ConfidenceHead | None = None, lm_grad: float = 1.0, features: dict | None = None,
                        checkpoint: bool = False, checkpoint_tokens: int = 256, prefill: Prefill | None = None):
    """Per-token log-probs of the action tokens under ``model`` (with grad); 0 elsewhere. (B*N, C)

    The same transforms as the sampler that drew ``r`` (``r.sampler``): temperature, then
    end-of-turn mass merged into the newline for answer tokens (constrained), and the digit
    softmax restricted to the ten digit tokens at the confidence temperature. With
    ``digit_dist=True`` (constrained mode) also returns the log of the whole confidence-digit
    distribution at each rollout's confidence position, (B*N, 10) with grad (``conf_head`` included);
    ``lm_grad`` scales the gradient that distribution sends into the language model (0: only the head learns).
    ``features`` (a dict, with ``conf_head``) receives the detached inputs of the digit distribution at the
    confidence position: ``hidden`` (B*N, D), ``lm_digits`` (B*N, 10) and ``answer_feats`` (B*N, 3, the
    sampler's ``sampling.answer_features``), for replaying them later.

    Each prompt is run once; its (differentiable) KV cache is then gathered for the rollouts of a
    chunk. Rollouts are sorted by length and run in chunks of ``rows_per_chunk``, each padded only to
    its own longest row, so one rambling rollout does not pad every other row to its length. The
    decoder returns hidden states; the output layer is applied by :func:`head_logprobs` to the action
    positions only, a block of rows at a time, so no (rows, length, vocabulary) tensor is ever built.
    ``checkpoint``: activation checkpointing of the prompt pass and of each chunk (only their inputs are
    kept; backward recomputes one pass at a time): peak memory of one chunk instead of all, for about one
    more forward pass of time. Each recomputed pass then covers at most ``checkpoint_tokens`` positions
    (rows x padded length; prompts are run in groups, rollout chunks are cut shorter), since a pass's
    recompute holds every layer's activations at once: on SmolLM2 ~48 KB per token per layer, so ten
    93-token prompts in one pass held 1.3 GB in backward.
    ``prefill``: the prompt pass of ``r``'s prompts already run with grad (:func:`prompt_prefill`, the one
    the sampler reused); otherwise it is run here.
    """
    if digit_dist and r.sampler.mode != "constrained":
        raise ValueError("digit_dist needs constrained confidence mode")
    from transformers import DynamicCache

    lm = lm_parts(model)
    n, (R, C), P = r.n, r.completion_ids.shape, r.prompt_ids.shape[1]

    def chunk_pass(ids, mask, pos, pr, *kv_flat):  # the chunk's rows after their prompts' (gathered) KV
        cache = DynamicCache(ddp_cache_data=[(kv_flat[i][pr], kv_flat[i + 1][pr]) for i in range(0, len(kv_flat), 2)])
        return lm(input_ids=ids, attention_mask=mask, position_ids=pos, use_cache=True, cache=cache).last_hidden_state

    if prefill is None:
        prefill = prompt_prefill(model, r.prompt_ids, r.prompt_mask, checkpoint, checkpoint_tokens)
    first, kv_flat = prefill.last, prefill.kv  # first predicts completion token 0
    device = first.device
    n_merge = 1 + len(spec.stop_ids)
    cols = torch.tensor([spec.newline_id, *spec.stop_ids, *spec.digit_ids], device=device)
    t = r.sampler.temperature if r.sampler.temperature > 0 else 1.0
    lengths = r.completion_mask.sum(1)
    order = torch.argsort(lengths, stable=True)
    lps, digits, hidden, lm_digits, answer_feats = [], [], [], [], []
    for idx in _chunks(order, lengths, rows_per_chunk, checkpoint_tokens if checkpoint else None):
        pr = torch.div(idx, n, rounding_mode="floor")  # (k,) their prompts
        L = max(int(lengths[idx].max()), 1)
        tgt, kinds = r.completion_ids[idx, :L], r.kinds[idx, :L]
        hs = first[pr]  # (k, 1, D)
        if L > 1:
            mask = torch.cat([r.prompt_mask[pr], r.completion_mask[idx, :L]], dim=1)  # (k, P+L)
            h = _run(chunk_pass, checkpoint, tgt[:, :-1], mask[:, : P + L - 1], positions_from_mask(mask)[:, P : P + L - 1], pr,
                    *kv_flat)
            hs = torch.cat([hs, h], 1)  # (k, L, D): position j predicts token j
        act = (kinds != FORCED).nonzero(as_tuple=True)  # score action positions only
        tok_lp, at_cols = head_logprobs(lm, hs[act], tgt[act], cols, t)  # (A,), (A, K)
        lp = torch.zeros(tgt.shape, dtype=torch.float32, device=device)
        lp = lp.index_put(act, combine_action_logprobs(tok_lp, at_cols, tgt[act], kinds[act], spec, r.sampler))
        lps.append(F.pad(lp, (0, C - L)))
        if digit_dist:  # the digit follows the answer and the scaffold: never completion token 0
            is_conf = kinds[act] == CONF_TOKEN  # one per row, in row order
            at = at_cols[is_conf][:, n_merge:]  # (k, 10) raw digit logits
            extra = None
            if conf_head is not None:
                h = hs[act][is_conf]  # (k, D)
                f = r.answer_feats[idx] if r.answer_feats is not None else None  # (k, 3), as the sampler read them
                extra = conf_head(_ScaleGrad.apply(h, lm_grad), f)
                hidden.append(h.detach())
                lm_digits.append(at.detach().float())
                if f is not None:
                    answer_feats.append(f)
            digits.append(digit_log_dist(_ScaleGrad.apply(at, lm_grad) if lm_grad != 1.0 else at, r.sampler, extra))
    inverse = torch.argsort(order)
    lp = torch.cat(lps)[inverse]
    if features is not None and hidden:
        features["hidden"], features["lm_digits"] = torch.cat(hidden)[inverse], torch.cat(lm_digits)[inverse]
        if answer_feats:
            features["answer_feats"] = torch.cat(answer_feats)[inverse]
    return (lp, torch.cat(digits)[inverse]) if digit_dist else lp


def _chunks(order: torch.Tensor, lengths: torch.Tensor, rows: int, tokens: int | None) -> list[torch.Tensor]:
    """Cut length-sorted rollout indices into chunks of <= ``rows`` rows and (if given) <= ``tokens``
    positions (rows x the chunk's longest length), at least one row each."""
    lens = lengths[order].tolist()
    out, start = [], 0
    while start < len(lens):
        end = start + 1
        while end < len(lens) and end - start < rows and (tokens is None or (end + 1 - start) * max(lens[end], 1) <= tokens):
            end += 1
        out.append(order[start:end])
        start = end
    return out


def digit_log_dist(digit_logits: torch.Tensor, cfg: SamplerConfig, extra: torch.Tensor | None = None) -> torch.Tensor:
    """Log of the confidence-digit distribution the sampler draws from. (..., 10) [+ head (..., 10)] -> (..., 10)"""
    ct = cfg.conf_temperature if cfg.conf_temperature > 0 else 1.0
    z = digit_logits.float()
    if extra is not None:
        z = z + extra.float()
    return torch.log_softmax(z / ct, -1)


def combine_action_logprobs(tok_lp: torch.Tensor, at_cols: torch.Tensor, tgt: torch.Tensor, kinds: torch.Tensor,
                            spec: TokenSpec, cfg: SamplerConfig) -> torch.Tensor:
    """The sampler's log-prob of each action from its token's tempered log-softmax and the raw logits at
    [newline, *stops, *digits]. (A,), (A, K), (A,), (A,) -> (A,); forced positions give 0.

    Merging end-of-turn mass into the newline leaves the softmax normaliser unchanged, so the merged
    newline's log-prob is its own log-prob − z_newline/T + logsumexp(z[newline, stops]/T)."""
    lp = tok_lp
    if cfg.mode == "constrained":
        n_merge = 1 + len(spec.stop_ids)
        t = cfg.temperature if cfg.temperature > 0 else 1.0
        z = at_cols[:, :n_merge] / t
        lp = torch.where(tgt == spec.newline_id, tok_lp - z[:, 0] + torch.logsumexp(z, -1), lp)
        digits = torch.tensor(spec.digit_ids, device=tgt.device)
        which = (tgt[:, None] == digits).float().argmax(-1)  # (A,)
        lp_digit = digit_log_dist(at_cols[:, n_merge:], cfg).gather(-1, which[:, None]).squeeze(-1)
        lp = torch.where(kinds == CONF_TOKEN, lp_digit, lp)
    return torch.where(kinds == FORCED, torch.zeros_like(lp), lp)


def action_logprobs(logits: torch.Tensor, tgt: torch.Tensor, kinds: torch.Tensor, spec: TokenSpec,
                    cfg: SamplerConfig) -> torch.Tensor:
    """The same log-probs from full logits (BN, C, V) -> (BN, C): the plain reference for tests."""
    raw = logits.float()
    z = raw / (cfg.temperature if cfg.temperature > 0 else 1.0)
    tok_lp = z.gather(-1, tgt[..., None]).squeeze(-1) - torch.logsumexp(z, -1)
    cols = torch.tensor([spec.newline_id, *spec.stop_ids, *spec.digit_ids], device=tgt.device)
    out = combine_action_logprobs(tok_lp.flatten(), raw[..., cols].flatten(0, -2), tgt.flatten(), kinds.flatten(),
                                  spec, cfg)
    return out.view_as(tgt)
