"""A test-only callback for the DDP fit test: after each training step, each rank appends the step's
question ids and a checksum of its trainable weights (and of Entropy→Platt's refit window) to
``<dirpath>/probe-rank<r>.jsonl``."""

import json
from pathlib import Path

import lightning as L
import torch


class DDPProbe(L.Callback):
    def __init__(self, dirpath: str) -> None:
        self.dirpath = dirpath

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx) -> None:
        with torch.no_grad():
            params = [p.detach().double() for p in pl_module.parameters() if p.requires_grad]
            checksum = float(sum((p * (i + 1)).sum() for i, p in enumerate(params)))
        row = {"step": trainer.global_step, "ids": list(batch["id"]), "checksum": checksum}
        window = getattr(pl_module, "_window", None)  # Entropy->Platt's refit window (rows, checksum)
        if window is not None:
            row["window"] = [len(window[1]), float(window[0].sum() + window[1].sum())]
        tilt = getattr(pl_module, "_tilt", None)  # the post-hoc level correction, after the last step
        if tilt is not None:
            row["tilt"] = [tilt["beta"], tilt["questions"]]
        path = Path(self.dirpath) / f"probe-rank{trainer.global_rank}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a") as f:
            f.write(json.dumps(row) + "\n")
