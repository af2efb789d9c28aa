"""Linear layers on prepacked oneDNN weights while sampling on CPU.

Decoding runs every ``Linear`` on a few dozen rows. MKL's ``sgemm`` (what ``F.linear`` calls) repacks the
weight on every call, which at these sizes costs about as much as the product itself: on SmolLM2-135M, 2
cores, 32 rows, the 210 decoder matmuls of one token take 75 ms with ``F.linear`` and 50 ms with weights
reordered once into oneDNN's blocked layout (``torch.ops.mkldnn._reorder_linear_weight``, the op behind
Inductor's CPU weight prepacking) and run by ``torch.ops.mkldnn._linear_pointwise``. Same float32 math up to
summation order (max |diff| ~2e-6 on unit-scale outputs).

:func:`packed_linears` reorders the weights of a model's plain ``Linear`` layers once on entry (the
current values: call it after adapters are folded in) and restores the modules on exit. Used only on CPU,
in float32, without grad, when the op is present and agrees with ``F.linear`` on a probe (checked once);
anything else (a GPU, autograd, another dtype, a module whose ``forward`` something else already replaced)
keeps the plain path. ``CALIBMODULE_PACKED_LINEAR=0`` in the environment switches it off.
"""

from __future__ import annotations

import os
from contextlib import contextmanager

import torch

PACKED_ATTR = "_calib_packed_weight"
MIN_PARAMS = 4096  # smaller layers are not worth a reorder
_AVAILABLE: bool | None = None


def available() -> bool:
    """oneDNN linear with prepacked weights works here and matches ``F.linear`` (probed once)."""
    global _AVAILABLE
    if _AVAILABLE is None and os.environ.get("CALIBMODULE_PACKED_LINEAR", "1") == "0":
        _AVAILABLE = False
    if _AVAILABLE is None:
        try:
            g = torch.Generator().manual_seed(0)
            w, x, b = torch.randn(24, 16, generator=g), torch.randn(5, 16, generator=g), torch.randn(24, generator=g)
            y = torch.ops.mkldnn._linear_pointwise(x, torch.ops.mkldnn._reorder_linear_weight(w, None), b, "none", [], "")
            _AVAILABLE = bool(torch.backends.mkldnn.is_available()) and torch.allclose(y, torch.nn.functional.linear(x, w, b),
                                                                                        atol=1e-4, rtol=1e-4)
        except Exception:  # noqa: BLE001 -- any failure: not available on this build / CPU
            _AVAILABLE = False
    return _AVAILABLE


def _forward(module: torch.nn.Linear, packed: torch.Tensor, plain):
    def forward(x: torch.Tensor) -> torch.Tensor:
        if (x.dtype != torch.float32 or x.device.type != "cpu" or module.weight.dtype != torch.float32
                or (torch.is_grad_enabled() and (x.requires_grad or module.weight.requires_grad))):
            return plain(x)
        return torch.ops.mkldnn._linear_pointwise(x, packed, module.bias, "none", [], "")
    return forward


@contextmanager
def packed_linears(model: torch.nn.Module, min_params: int | None = None):
    """Within the block, each plain float32 CPU ``nn.Linear`` of ``model`` (at least ``min_params`` weights,
    default ``MIN_PARAMS``) runs on a oneDNN-reordered copy of its current weight. Costs one copy of those
    weights meanwhile."""
    min_params = MIN_PARAMS if min_params is None else min_params
    mods = []
    if available():
        mods = [m for m in model.modules()
                if type(m) is torch.nn.Linear and "forward" not in m.__dict__ and m.weight.device.type == "cpu"
                and m.weight.dtype == torch.float32 and m.weight.numel() >= min_params
                and type(m.weight.data) is torch.Tensor]
    try:
        with torch.no_grad():
            for m in mods:
                packed = torch.ops.mkldnn._reorder_linear_weight(m.weight.detach(), None)
                setattr(m, PACKED_ATTR, packed)
                m.forward = _forward(m, packed, type(m).forward.__get__(m))
        yield
    finally:
        for m in mods:
            m.__dict__.pop("forward", None)
            m.__dict__.pop(PACKED_ATTR, None)
