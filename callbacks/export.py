"""ExportAdapter: write the LoRA adapter with peft ``save_pretrained`` (and optionally a merged full
model) at every checkpoint save and at the end of fit, so trained weights never live only inside
a Lightning checkpoint.

Under DDP every rank resolves the output folder in ``setup`` (``trainer.log_dir`` is a collective);
only rank 0 writes."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import lightning as L
from typing_extensions import override

from calibmodule.api import HEAD_FILE, MANIFEST, manifest


class ExportAdapter(L.Callback):
    def __init__(self, dirpath: str | None = None, merged: bool = False) -> None:
        """
        Args:
            dirpath: where to write ``adapter/`` (and ``merged/``); default ``<log_dir>/export``.
            merged: also write the base model with the adapter merged in (a plain HF checkpoint).
        """
        self.dirpath = dirpath
        self.merged = merged
        self.out: Path | None = None

    @override
    def setup(self, trainer: L.Trainer, pl_module: L.LightningModule, stage: str) -> None:
        self.out = Path(self.dirpath or Path(trainer.log_dir or trainer.default_root_dir) / "export")

    def export(self, trainer: L.Trainer, pl_module: L.LightningModule, merged: bool) -> Path | None:
        policy = getattr(pl_module, "policy", None)
        if policy is None or not hasattr(policy, "peft_config") or not trainer.is_global_zero:
            return None
        out = self.out
        policy.save_pretrained(out / "adapter")
        pl_module.tokenizer.save_pretrained(out / "adapter")
        (out / "adapter" / MANIFEST).write_text(json.dumps(manifest(pl_module), indent=1))
        head = getattr(pl_module, "conf_head", None)
        if head is not None:  # the digit-logit head: weight (10, D), bias (10,)
            from safetensors.torch import save_file

            save_file({k: v.detach().cpu().contiguous() for k, v in head.state_dict().items()},
                      str(out / "adapter" / HEAD_FILE))
        if merged:
            full = copy.deepcopy(policy).merge_and_unload()
            full.save_pretrained(out / "merged")
            pl_module.tokenizer.save_pretrained(out / "merged")
        return out

    @override
    def on_save_checkpoint(self, trainer, pl_module, checkpoint) -> None:
        self.export(trainer, pl_module, merged=False)

    @override
    def on_fit_end(self, trainer, pl_module) -> None:
        self.export(trainer, pl_module, merged=self.merged)
