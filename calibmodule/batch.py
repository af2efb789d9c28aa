"""Evaluation batches under DDP: the rows a distributed sampler repeated to even out the ranks.

``datamodules.qa.EvalSampler`` gives every rank as many questions as the others (ranks must run the same
number of batches), repeating at most world - 1 of them; ``collate`` marks those rows in
``batch["padding"]``. Modules and callbacks drop them before grading, metrics and reports, so every
question of a split counts exactly once however many processes evaluate it.

``gather`` / ``rank`` / ``broadcast``: plain-object collectives for work every rank shares (the report's
rows, Entropy→Platt's stage-1 table and refit window). One process: no-ops.
"""

from __future__ import annotations

import torch.distributed as dist


def world_size() -> int:
    """Processes in the default group (1 without a process group)."""
    return dist.get_world_size() if dist.is_available() and dist.is_initialized() else 1


def rank() -> int:
    """This process's global rank (0 without a process group)."""
    return dist.get_rank() if world_size() > 1 else 0


def gather(obj) -> list:
    """Every rank's ``obj`` as a list in rank order (one process: ``[obj]``). All ranks must call it."""
    if world_size() == 1:
        return [obj]
    out = [None] * world_size()
    dist.all_gather_object(out, obj)
    return out


def broadcast(obj, src: int = 0):
    """Rank ``src``'s ``obj`` on every rank (one process: ``obj``). All ranks must call it."""
    if world_size() == 1:
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=src)
    return box[0]


def drop_padding(batch: dict) -> dict | None:
    """``batch`` without its ``padding`` rows (None: nothing left). Per-row fields (lists as long as the
    batch) are filtered; anything else is kept as is.

    >>> drop_padding({"id": ["a", "b"], "question": ["q1", "q2"], "padding": [False, True]})
    {'id': ['a'], 'question': ['q1']}
    >>> drop_padding({"id": ["a"], "padding": [True]}) is None
    True
    """
    pad = batch.get("padding")
    if pad is None:
        return batch
    keep = [k for k, p in enumerate(pad) if not p]
    if not keep:
        return None
    n = len(pad)
    return {k: ([v[i] for i in keep] if isinstance(v, list) and len(v) == n else v)
            for k, v in batch.items() if k != "padding"}
