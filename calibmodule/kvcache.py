"""A KV cache layer that is written in place, for the sampler's token-by-token decoding.

transformers' ``DynamicLayer`` appends each new token with ``torch.cat``, which copies the whole cache of
every layer at every decoded token: O(T²) copying per rollout batch (0.41 s of a 6.3 s sampling call on
SmolLM2 with 32 rows x 32 tokens). :func:`reserve` gives each plain dynamic layer a buffer with room for
``tokens`` more positions; ``update`` writes the new keys/values into it and returns views of the filled
part. Dropping finished rows (``batch_select_indices``) still copies, as before. Other layer kinds
(sliding windows, linear attention) are left as they are.
"""

from __future__ import annotations

import torch
from transformers.cache_utils import DynamicLayer


class ReservedLayer(DynamicLayer):
    """``DynamicLayer`` semantics over a preallocated (B, H, capacity, D) buffer; grows by doubling if full."""

    def __init__(self, keys: torch.Tensor, values: torch.Tensor, room: int) -> None:
        super().__init__()
        self.device, self.is_initialized, self._n = keys.device, True, keys.shape[-2]
        self._k, self._v = self._alloc(keys, self._n + room), self._alloc(values, self._n + room)
        self._view()

    @staticmethod
    def _alloc(x: torch.Tensor, capacity: int, n: int | None = None) -> torch.Tensor:
        n = x.shape[-2] if n is None else n
        buf = x.new_empty(*x.shape[:-2], capacity, x.shape[-1])
        buf[..., :n, :] = x[..., :n, :]
        return buf

    def _view(self) -> None:
        self.keys, self.values = self._k[..., : self._n, :], self._v[..., : self._n, :]

    def update(self, key_states: torch.Tensor, value_states: torch.Tensor, *args, **kwargs):
        q = key_states.shape[-2]
        if self._n + q > self._k.shape[-2]:
            cap = 2 * (self._n + q)
            self._k, self._v = self._alloc(self._k, cap, self._n), self._alloc(self._v, cap, self._n)
        self._k[..., self._n : self._n + q, :] = key_states
        self._v[..., self._n : self._n + q, :] = value_states
        self._n += q
        self._view()
        return self.keys, self.values

    def crop(self, tokens_to_remove: int) -> None:
        if tokens_to_remove > 0:
            raise ValueError("crop takes a negative count of tokens to remove")
        self._n = max(self._n + tokens_to_remove, 0)
        self._view()

    def batch_repeat_interleave(self, repeats: int) -> None:
        self._k, self._v = self._k.repeat_interleave(repeats, 0), self._v.repeat_interleave(repeats, 0)
        self._view()

    def batch_select_indices(self, indices: torch.Tensor) -> None:
        self._k, self._v = self._k[indices], self._v[indices]
        self._view()

    def reorder_cache(self, beam_idx: torch.LongTensor) -> None:
        self.batch_select_indices(beam_idx.to(self._k.device))


def reserve(cache, tokens: int):
    """Give each plain ``DynamicLayer`` of ``cache`` room for ``tokens`` more positions (in place); returns it."""
    layers = getattr(cache, "layers", None)
    if layers is None:
        return cache
    for i, layer in enumerate(layers):
        if type(layer) is DynamicLayer and layer.is_initialized and layer.keys is not None and layer.keys.numel():
            layers[i] = ReservedLayer(layer.keys, layer.values, tokens)
    return cache


# ---- decoding with the prompt's keys/values shared by its N rollouts ----------------------------------
#
# The sampler decodes N rollouts per prompt. Repeating the prompt's cache N times (what ``generate`` and
# the plain path do) makes every decoded token read N copies of the same prompt keys/values, and every
# dropped row copy its prompt part again. Here the prompt part stays (B, H_kv, P, D), each row keeps only
# its own tokens in a ``ReservedLayer``, and attention is computed in two parts merged by their
# log-sum-exp ("cascade" attention): the prompt part as one (N·groups, P) block per prompt, the rows' own
# part per row. Used on CPU for the model types below (full attention through transformers' attention
# interface, no attention softcap); elsewhere the sampler repeats the cache as before.

SHARED_PREFIX_ATTENTION = "calibmodule_shared_prefix"
_SHARED_TYPES = {"llama", "qwen2", "qwen3", "mistral", "smollm3", "olmo2", "granite"}
_active: list[SharedPrefix] = []  # the SharedPrefix of the decode step being run (a stack: nesting is refused)


class SharedPrefix:
    """Prompt keys/values (per layer (B, H_kv, P, D)), their padding mask (B, P), N rollouts per prompt and
    the rows still decoding (``rows``: indices into B·N; None while every row is). ``calls`` counts layers
    served this step."""

    def __init__(self, kv: list[tuple[torch.Tensor, torch.Tensor]], mask: torch.Tensor, n: int) -> None:
        self.kv, self.mask, self.n = kv, mask.bool(), n
        self.pad = ~self.mask[:, None, None, :]  # (B, 1, 1, P) keys to drop, computed once for every layer
        self.rows: torch.Tensor | None = None
        self.calls = 0

    def select(self, idx: torch.Tensor) -> None:
        self.rows = idx if self.rows is None else self.rows[idx]


def supports_shared_prefix(model) -> bool:
    """Whether the sampler may decode ``model`` with :class:`SharedPrefix` attention."""
    base = model.get_base_model() if hasattr(model, "get_base_model") else model
    cfg = base.config
    if next(base.parameters()).device.type != "cpu" or cfg.model_type not in _SHARED_TYPES:
        return False
    if getattr(cfg, "_attn_implementation", None) not in ("sdpa", "eager", None):
        return False
    layer_types = getattr(cfg, "layer_types", None) or ["full_attention"]
    sliding = getattr(cfg, "use_sliding_window", False) and getattr(cfg, "sliding_window", None)
    return all(t == "full_attention" for t in layer_types) and not sliding and not getattr(cfg, "attn_logit_softcapping", None)


def shared_prefix_cache(kv: list[tuple[torch.Tensor, torch.Tensor]], mask: torch.Tensor, n: int, room: int):
    """(a DynamicCache over each row's own tokens, the SharedPrefix): the decoding cache of B prompts x n rows."""
    from transformers import DynamicCache

    cache = DynamicCache()
    cache.layers = [ReservedLayer(k.new_empty(k.shape[0] * n, k.shape[1], 0, k.shape[3]),
                                  v.new_empty(v.shape[0] * n, v.shape[1], 0, v.shape[3]), room) for k, v in kv]
    return cache, SharedPrefix(kv, mask, n)


class shared_prefix_attention_on:
    """Context manager: ``model`` attends through :func:`shared_prefix_attention` with ``prefix``."""

    def __init__(self, model, prefix: SharedPrefix) -> None:
        base = model.get_base_model() if hasattr(model, "get_base_model") else model
        self.cfg, self.prefix = base.config, prefix

    def __enter__(self):
        if _active:
            raise RuntimeError("shared-prefix decoding is not re-entrant")
        self.old = self.cfg._attn_implementation
        self.cfg._attn_implementation = SHARED_PREFIX_ATTENTION
        _active.append(self.prefix)
        return self.prefix

    def __exit__(self, *exc):
        _active.pop()
        self.cfg._attn_implementation = self.old
        return False


def _partial(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaling: float, pad: torch.Tensor | None = None):
    """Softmax attention pieces of q (..., M, D) over k, v (..., L, D): (running max (..., M, 1), sum of
    exp (..., M, 1), unnormalised output (..., M, D)); ``pad`` (..., 1, L) bool drops keys. Every query
    keeps at least one key here (a row's own token; a prompt's real tokens), so the max is finite."""
    s = (q @ k.transpose(-1, -2)).mul_(scaling)
    if pad is not None:
        s.masked_fill_(pad, float("-inf"))
    m = s.amax(-1, keepdim=True)
    e = s.sub_(m).exp_()
    return m, e.sum(-1, keepdim=True), e @ v


def shared_prefix_attention(module, query, key, value, attention_mask, scaling=None, dropout=0.0, **kwargs):
    """transformers attention interface: one new token per row. query (rows, H, 1, D); key/value (rows,
    H_kv, t, D) = the rows' own tokens (this one included); the prompt part comes from the active
    SharedPrefix. Returns ((rows, 1, H, D), None)."""
    p = _active[-1]
    p.calls += 1
    k_pre, v_pre = p.kv[module.layer_idx]
    B, KV, _, D = k_pre.shape
    R, H = query.shape[0], query.shape[1]
    g, n = H // KV, p.n
    scaling = D**-0.5 if scaling is None else scaling
    q = query.reshape(R, KV, g, D)  # heads grouped by their key/value head
    m_s, l_s, o_s = _partial(q, key, value, scaling)  # (R, KV, g, ·) over the rows' own tokens
    if p.rows is None:  # every row still decoding: no scatter / gather
        full = q
    else:
        full = q.new_zeros(B * n, KV, g, D)
        full[p.rows] = q
    qp = full.view(B, n, KV, g, D).transpose(1, 2).reshape(B, KV, n * g, D)
    m_p, l_p, o_p = _partial(qp, k_pre, v_pre, scaling, p.pad)  # (B, KV, n·g, ·) per prompt
    # back to rows, the three pieces in one copy: (B, KV, n·g, D + 2) -> (R, KV, g, D + 2)
    per_row = torch.cat([o_p, m_p, l_p], -1).view(B, KV, n, g, D + 2).transpose(1, 2).reshape(B * n, KV, g, D + 2)
    if p.rows is not None:
        per_row = per_row[p.rows]
    o_p, m_p, l_p = per_row[..., :D], per_row[..., D : D + 1], per_row[..., D + 1 :]
    m = torch.maximum(m_p, m_s)
    a_p, a_s = (m_p - m).exp_(), (m_s - m).exp_()
    out = (o_p * a_p).add_(o_s.mul_(a_s)).div_((l_p * a_p).add_(l_s.mul_(a_s)))  # (R, KV, g, D)
    return out.reshape(R, H, D)[:, None].to(query.dtype), None


def _register() -> None:
    from transformers import AttentionInterface

    AttentionInterface.register(SHARED_PREFIX_ATTENTION, shared_prefix_attention)


_register()
