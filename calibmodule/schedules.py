"""Learning-rate schedules of the policy (``model.lr_schedule``): a multiplier of ``lr`` per optimizer step.

As in HF ``transformers``/TRL (``lr_scheduler_type``, ``warmup_steps``): an optional linear warmup, then
``constant``, ``linear`` (to 0 at the last step) or ``cosine`` (to 0). The warmup starts at
1/(warmup_steps + 1) of ``lr`` rather than at 0, so that no step is wasted."""

from __future__ import annotations

import math
from typing import Literal

Schedule = Literal["constant", "linear", "cosine"]
SCHEDULES = ("constant", "linear", "cosine")


def lr_factor(step: int, total: int, schedule: Schedule = "constant", warmup_steps: int = 0) -> float:
    """Multiplier of the base learning rate for optimizer step ``step`` (0-based) of ``total`` steps.

    >>> [round(lr_factor(s, 4, "linear"), 3) for s in range(4)]
    [1.0, 0.75, 0.5, 0.25]
    """
    if schedule not in SCHEDULES:
        raise ValueError(f"lr_schedule must be one of {list(SCHEDULES)}, got {schedule!r}")
    if step < warmup_steps:
        return (step + 1) / (warmup_steps + 1)
    if schedule == "constant":
        return 1.0
    span = max(total - warmup_steps, 1)
    progress = min((step - warmup_steps) / span, 1.0)  # 0 at the first step after warmup, < 1 at the last
    if schedule == "linear":
        return 1.0 - progress
    return 0.5 * (1.0 + math.cos(math.pi * progress))
