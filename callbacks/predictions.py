"""PredictionWriter: ``predict`` writes one JSON line per question and prints where.

Each row is what the module's ``predict_step`` returns (id, question, answer, confidence and the
other read-out where there is one, the full completion, ``correct`` when a gold answer exists).
Under DDP every rank's rows are gathered to rank 0, the distributed sampler's padding duplicates are
dropped, and one file is written, ordered by question id (natural order: ``x/2`` before ``x/10``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import lightning as L
from lightning.pytorch.callbacks import BasePredictionWriter
from typing_extensions import override

from calibmodule.batch import gather


def _natural(key: str) -> list:
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", str(key))]


def merge_rows(parts: list[list[dict]]) -> list[dict]:
    """Rows of every rank -> one list without duplicate ids, ordered by id.

    >>> merge_rows([[{"id": "q/10"}, {"id": "q/2"}], [{"id": "q/2"}, {"id": "q/1"}]])
    [{'id': 'q/1'}, {'id': 'q/2'}, {'id': 'q/10'}]
    """
    seen: dict[str, dict] = {}
    for rows in parts:
        for row in rows:
            seen.setdefault(str(row["id"]), row)
    return [seen[k] for k in sorted(seen, key=_natural)]


class PredictionWriter(BasePredictionWriter):
    def __init__(self, output_path: str | None = None) -> None:
        """
        Args:
            output_path: JSONL file to write (default ``<log_dir>/predictions.jsonl``).
        """
        super().__init__(write_interval="epoch")
        self.output_path = output_path
        self.path: Path | None = None

    @override
    def setup(self, trainer: L.Trainer, pl_module: L.LightningModule, stage: str) -> None:
        # every rank: trainer.log_dir is a collective under DDP
        self.path = Path(self.output_path or Path(trainer.log_dir or trainer.default_root_dir) / "predictions.jsonl")

    @override
    def write_on_epoch_end(self, trainer, pl_module, predictions, batch_indices) -> None:
        batches = predictions[0] if predictions and isinstance(predictions[0], list) and predictions[0] \
            and isinstance(predictions[0][0], list) else predictions
        rows = [row for batch in batches for row in (batch or [])]
        merged = merge_rows(gather(rows))  # every rank joins the gather
        if not trainer.is_global_zero:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "w", encoding="utf-8") as f:
            for row in merged:
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        print(f"predictions: {len(merged)} rows written to {self.path}", flush=True)
