"""Evaluation batches under DDP: the rows a distributed sampler repeated to even out the ranks.

``datamodules.qa.EvalSampler`` gives every rank as many questions as the others (ranks must run the same
number of batches), repeating at most world - 1 of them; ``collate`` marks those rows in
``batch["padding"]``. Modules and callbacks drop them before grading, metrics and reports, so every
question of a split counts exactly once however many processes evaluate it.
"""

from __future__ import annotations


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
