"""CalibrationReport: on ``test``, compare the trained model with its baseline on the held-out split
and write ``report.md`` + ``reliability.png`` + ``risk_coverage.png``.

The baseline comes from the module's ``baseline_eval(batch) -> {"confidence", "correct"}``: the
base model (LoRA adapters disabled) for the RL modules, raw predictive entropy for ALIEN.
"""

from __future__ import annotations

from pathlib import Path

import lightning as L
import torch
from typing_extensions import override

from calibmodule.metrics import calibration_metrics
from calibmodule.plots import reliability_figure, risk_coverage, risk_coverage_figure


def summarize(conf: torch.Tensor, correct: torch.Tensor) -> dict[str, float]:
    """accuracy, ECE, Brier, AUROC, gap, AURC (area under the risk-coverage curve) for one model."""
    m = calibration_metrics()
    m.update(conf, correct.long())
    out = {k: float(v) for k, v in m.compute().items()}
    cov, risk = risk_coverage(conf, correct)
    out["AURC"] = float(risk.mean())
    out["n"] = int(conf.numel())
    return out


def write_report(series: dict[str, tuple[torch.Tensor, torch.Tensor]], out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {name: summarize(c, y) for name, (c, y) in series.items()}
    cols = [("n", "n", "{:d}"), ("acc", "accuracy", "{:.3f}"), ("cal/ECE", "ECE", "{:.3f}"),
            ("cal/Brier", "Brier", "{:.3f}"), ("sc/AUROC", "AUROC", "{:.3f}"), ("cal/gap", "gap", "{:+.3f}"),
            ("AURC", "AURC", "{:.3f}")]
    lines = [f"# {title}", "", "| model | " + " | ".join(c[1] for c in cols) + " |",
             "|---" * (len(cols) + 1) + "|"]
    for name, r in rows.items():
        lines.append(f"| {name} | " + " | ".join(fmt.format(r[k]) for k, _, fmt in cols) + " |")
    lines += ["", "ECE: 10 equal-width bins, L1. gap = mean confidence - accuracy (> 0: over-confident).",
              "AURC: mean error rate over the risk-coverage curve (answer the most confident first; lower is better).",
              "", "![reliability](reliability.png)", "", "![risk-coverage](risk_coverage.png)", ""]
    (out_dir / "report.md").write_text("\n".join(lines))
    reliability_figure(series).savefig(out_dir / "reliability.png", dpi=100)
    risk_coverage_figure(series).savefig(out_dir / "risk_coverage.png", dpi=100)
    return out_dir / "report.md"


class CalibrationReport(L.Callback):
    def __init__(self, dirpath: str | None = None, baseline_name: str = "base") -> None:
        """
        Args:
            dirpath: output folder (default ``<log_dir>/report``).
            baseline_name: label of the baseline row.
        """
        self.dirpath = dirpath
        self.baseline_name = baseline_name
        self._trained: list[tuple[torch.Tensor, torch.Tensor]] = []
        self._base: list[tuple[torch.Tensor, torch.Tensor]] = []
        self.path: Path | None = None

    @override
    def on_test_epoch_start(self, trainer, pl_module) -> None:
        self._trained, self._base = [], []

    @override
    def on_test_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0) -> None:
        if isinstance(outputs, dict) and "confidence" in outputs:
            self._trained.append(self._pair(outputs))
        base = getattr(pl_module, "baseline_eval", None)
        if base is not None:
            self._base.append(self._pair(base(batch)))

    @staticmethod
    def _pair(out: dict) -> tuple[torch.Tensor, torch.Tensor]:
        conf = out["confidence"].detach().float().cpu()
        ok = torch.isfinite(conf)
        return conf[ok], out["correct"].detach().cpu()[ok]

    @override
    def on_test_epoch_end(self, trainer, pl_module) -> None:
        if not trainer.is_global_zero or not self._trained:
            return
        series = {"trained": tuple(torch.cat(x) for x in zip(*self._trained))}
        if self._base:
            series = {self.baseline_name: tuple(torch.cat(x) for x in zip(*self._base)), **series}
        out = Path(self.dirpath or Path(trainer.log_dir or trainer.default_root_dir) / "report")
        self.path = write_report(series, out, f"{type(pl_module).__name__}: held-out calibration")
