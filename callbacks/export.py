"""ExportAdapter: write the LoRA adapter with peft ``save_pretrained`` (and optionally a merged full
model) at every checkpoint save and at the end of fit, so trained weights never live only inside
a Lightning checkpoint."""

from __future__ import annotations

import copy
from pathlib import Path

import lightning as L
from typing_extensions import override


class ExportAdapter(L.Callback):
    def __init__(self, dirpath: str | None = None, merged: bool = False) -> None:
        """
        Args:
            dirpath: where to write ``adapter/`` (and ``merged/``); default ``<log_dir>/export``.
            merged: also write the base model with the adapter merged in (a plain HF checkpoint).
        """
        self.dirpath = dirpath
        self.merged = merged

    def _dir(self, trainer: L.Trainer) -> Path:
        return Path(self.dirpath or Path(trainer.log_dir or trainer.default_root_dir) / "export")

    def export(self, trainer: L.Trainer, pl_module: L.LightningModule, merged: bool) -> Path | None:
        policy = getattr(pl_module, "policy", None)
        if policy is None or not hasattr(policy, "peft_config") or not trainer.is_global_zero:
            return None
        out = self._dir(trainer)
        policy.save_pretrained(out / "adapter")
        pl_module.tokenizer.save_pretrained(out / "adapter")
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
