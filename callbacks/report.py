"""CalibrationReport: on ``test``, compare the trained model with its baseline on the held-out split
and write ``report.md`` + ``reliability.png`` + ``risk_coverage.png``; the headline numbers (with
95% bootstrap intervals and the mean within-kind AUROC) are also logged under ``test/report/``.

The baseline comes from the module's ``baseline_eval(batch) -> {"confidence", "correct", ...} | None``:
the base model (LoRA adapters disabled) for the RL modules, raw predictive entropy for ALIEN. Every
``confidence*`` key of the outputs is a read-out and gets its own row (RL: expected and greedy digit).
Under DDP each rank's rows are gathered first (every rank joins the gather; rank 0 writes).
"""

from __future__ import annotations

from pathlib import Path

import lightning as L
import torch
from typing_extensions import override

from calibmodule.batch import drop_padding, gather
from calibmodule.metrics.functional import auroc, bootstrap_ci, calibrated_ece, ece, within_group_auroc
from calibmodule.plots import reliability_figure, risk_coverage, risk_coverage_figure

Series = dict  # {"conf": (K,), "correct": (K,), "kind": [K], "group": [K]}


def summarize(conf: torch.Tensor, correct: torch.Tensor, kinds: list | None = None, n_boot: int = 1000,
              groups: list | None = None) -> dict:
    """accuracy, ECE (+CI), Brier, AUROC (+CI), within-kind AUROC, gap, AURC, distinct confidences.
    With ``groups`` (e.g. world facts' country) the intervals resample whole groups."""
    ok = torch.isfinite(conf)
    c, y = conf[ok].double(), correct[ok].long()
    kinds = [k for k, keep in zip(kinds or [None] * len(ok), ok.tolist()) if keep]
    groups = [x for x, keep in zip(groups, ok.tolist()) if keep] if groups and any(x is not None for x in groups) else None
    out = {"n": int(c.numel()), "unparsed": float((~ok).float().mean()) if ok.numel() else float("nan"),
           "acc": float(correct.float().mean()) if correct.numel() else float("nan")}
    if c.numel() == 0:
        return out
    out.update({"ECE": float(ece(c, y)), "Brier": float(((c - y) ** 2).mean()), "AUROC": float(auroc(c, y)),
                "gap": float(c.mean() - y.double().mean()), "distinct": int(torch.unique(c).numel())})
    out["AUROC_within"] = float(within_group_auroc(c, y, kinds)) if any(k is not None for k in kinds) else float("nan")
    out["ECE_ci"] = bootstrap_ci(ece, c, y, n_boot, groups=groups)
    out["AUROC_ci"] = bootstrap_ci(auroc, c, y, n_boot, groups=groups)
    out["groups"] = len(set(groups)) if groups else 0
    ref = calibrated_ece(c, y, n_boot)
    out["ECE_calibrated"], out["ECE_calibrated_q95"], out["ECE_p"] = ref["mean"], ref["q95"], ref["p"]
    _, risk = risk_coverage(c, y)
    out["AURC"] = float(risk.mean())
    return out


def _ci(x: tuple[float, float]) -> str:
    return f"[{x[0]:.3f}, {x[1]:.3f}]"


def write_report(series: dict[str, Series], out_dir: Path, title: str) -> tuple[Path, dict[str, dict]]:
    out_dir.mkdir(parents=True, exist_ok=True)
    rows = {name: summarize(s["conf"], s["correct"], s.get("kind"), groups=s.get("group")) for name, s in series.items()}
    n_groups = max((r.get("groups", 0) for r in rows.values()), default=0)
    lines = [f"# {title}", "",
             "| model | n | accuracy | ECE | ECE 95% CI | Brier | AUROC | AUROC 95% CI | AUROC within kind | gap | "
             "AURC | distinct conf. | ECE if calibrated | p |", "|---" * 14 + "|"]
    for name, r in rows.items():
        if "ECE" not in r:
            lines.append(f"| {name} | {r['n']} | {r['acc']:.3f} | no parseable confidence |" + " |" * 10)
            continue
        lines.append(f"| {name} | {r['n']} | {r['acc']:.3f} | {r['ECE']:.3f} | {_ci(r['ECE_ci'])} | {r['Brier']:.3f} | "
                     f"{r['AUROC']:.3f} | {_ci(r['AUROC_ci'])} | {r['AUROC_within']:.3f} | {r['gap']:+.3f} | "
                     f"{r['AURC']:.3f} | {r['distinct']} | {r['ECE_calibrated']:.3f} (q95 {r['ECE_calibrated_q95']:.3f}) | "
                     f"{r['ECE_p']:.2f} |")
    lines += _reduction_table(rows)
    lines += _per_kind_table(series)
    lines += ["", "ECE: 10 equal-width bins, L1. gap = mean confidence - accuracy (> 0: over-confident).",
              (f"CI: 95% percentile bootstrap over {n_groups} groups of questions (1000 resamples; a group's questions, "
               "e.g. one country's, are resampled together: they answer alike)." if n_groups else
               "CI: 95% percentile bootstrap over questions (1000 resamples)."),
              "ECE if calibrated: mean (and 95th percentile) ECE of a perfectly calibrated model stating these same",
              "confidences on these questions (1000 draws of right/wrong ~ Bernoulli(confidence)): binned ECE does not",
              "reach 0 on a finite set, and an observed ECE near this value is as good as this test size can show.",
              "p: share of those draws with ECE >= the observed one (p < 0.05: miscalibration this set can detect).",
              "AUROC within kind: mean AUROC over question kinds (templates) with >= 3 right and >= 3 wrong answers;",
              "a confidence that only separates easy kinds from hard ones scores ~0.5 there.",
              "AURC: mean error rate over the risk-coverage curve (answer the most confident first; lower is better).",
              "", "![reliability](reliability.png)", "", "![risk-coverage](risk_coverage.png)", ""]
    (out_dir / "report.md").write_text("\n".join(lines))
    pairs = {k: (s["conf"][torch.isfinite(s["conf"])], s["correct"][torch.isfinite(s["conf"])]) for k, s in series.items()}
    pairs = {k: v for k, v in pairs.items() if v[0].numel()}
    if pairs:
        reliability_figure(pairs).savefig(out_dir / "reliability.png", dpi=100)
        risk_coverage_figure(pairs).savefig(out_dir / "risk_coverage.png", dpi=100)
    return out_dir / "report.md", rows


def _reduction_table(rows: dict[str, dict]) -> list[str]:
    """The stability blog's comparison: |gap| and ECE of each model relative to the first (base) row of the
    same read-out, as a reduction in percent."""
    out = []
    for name, r in rows.items():
        readout = name[name.index("(") :] if "(" in name else ""
        ref_name = next((k for k in rows if k.endswith(readout)), None)
        ref = rows.get(ref_name) or {}
        if "ECE" not in r or "ECE" not in ref or ref_name == name:
            continue
        # a baseline that rounds to 0.000 leaves no room to reduce: its percentages would be noise (-19889%)
        red = lambda a, b: f"{100 * (1 - a / b):+.0f}%" if b >= 5e-4 else "n/a"  # noqa: E731
        out.append(f"| {name} | {r['gap']:+.3f} | {red(abs(r['gap']), abs(ref['gap']))} | {r['ECE']:.3f} | "
                   f"{red(r['ECE'], ref['ECE'])} | {ref_name} |")
    if not out:
        return []
    return ["", "Relative to the baseline (reduction of \\|gap\\| and ECE; + is better)", "",
            "| model | gap | \\|gap\\| reduction | ECE | ECE reduction | relative to |", "|---" * 6 + "|", *out]


def _per_kind_table(series: dict[str, Series]) -> list[str]:
    names = list(series)
    kinds = sorted({k for s in series.values() for k in (s.get("kind") or []) if k is not None}, key=str)
    if not kinds:
        return []
    lines = ["", "Per kind: accuracy / mean confidence / AUROC", "",
             "| kind | n | " + " | ".join(names) + " |", "|---" * (len(names) + 2) + "|"]
    for kind in kinds:
        cells = []
        n = 0
        for s in series.values():
            m = torch.tensor([k == kind for k in s["kind"]])
            c, y = s["conf"][m], s["correct"][m]
            n = int(m.sum())
            ok = torch.isfinite(c)
            a = auroc(c[ok], y[ok]) if ok.any() else torch.tensor(float("nan"))
            cells.append(f"{float(y.float().mean()):.2f} / {float(c[ok].mean()) if ok.any() else float('nan'):.2f} / "
                         f"{float(a):.2f}")
        lines.append(f"| {kind} | {n} | " + " | ".join(cells) + " |")
    return lines


class CalibrationReport(L.Callback):
    def __init__(self, dirpath: str | None = None, baseline_name: str = "base") -> None:
        """
        Args:
            dirpath: output folder (default ``<log_dir>/report``).
            baseline_name: label of the baseline rows.
        """
        self.dirpath = dirpath
        self.baseline_name = baseline_name
        self._rows: dict[str, list[tuple]] = {}
        self.path: Path | None = None
        self.summary: dict[str, dict] = {}

    @override
    def setup(self, trainer, pl_module, stage: str) -> None:
        # every rank: trainer.log_dir broadcasts under DDP, so it must not be read on rank 0 alone
        self._out = Path(self.dirpath or Path(trainer.log_dir or trainer.default_root_dir) / "report")

    @override
    def on_test_epoch_start(self, trainer, pl_module) -> None:
        self._rows = {}

    def _add(self, prefix: str, out: dict, batch: dict) -> None:
        if "correct" not in out:
            return
        kinds = batch.get("kind") or [None] * len(out["correct"])
        groups = batch.get("group") or [None] * len(out["correct"])
        for key in sorted(k for k in out if k.startswith("confidence")):
            readout = key.removeprefix("confidence").lstrip("_")
            name = f"{prefix} ({readout})" if readout else prefix
            self._rows.setdefault(name, []).append(
                (out[key].detach().float().cpu(), out["correct"].detach().cpu().long(), list(kinds), list(groups)))

    @override
    def on_test_batch_end(self, trainer, pl_module, outputs, batch, batch_idx, dataloader_idx=0) -> None:
        batch = drop_padding(batch)  # as the module's test_step: the DDP sampler's repeats count once
        if batch is None:
            return
        if hasattr(pl_module, "baseline_evals"):  # several baselines (RL: base, base + calibration prompt)
            for name, out in pl_module.baseline_evals(batch).items():
                label = self.baseline_name + name.removeprefix("base") if name.startswith("base") else name
                self._add(label, self._named(out, pl_module), batch)
        elif getattr(pl_module, "baseline_eval", None) is not None:
            out = pl_module.baseline_eval(batch)
            if out is not None:
                self._add(self.baseline_name, self._named(out, pl_module), batch)
        if isinstance(outputs, dict) and "confidence" in outputs:
            self._add("trained", self._named(outputs, pl_module), batch)

    @staticmethod
    def _named(out: dict, pl_module) -> dict:
        """Name the main read-out after the module's ``eval_confidence`` (RL: expected/greedy)."""
        main = getattr(pl_module, "hparams", {}).get("eval_confidence")
        if main and any(k.startswith("confidence_") for k in out):
            out = dict(out)
            out[f"confidence_{main}"] = out.pop("confidence")
        return out

    @override
    def on_test_epoch_end(self, trainer, pl_module) -> None:
        everything = gather(self._rows)  # every rank joins, before any rank-zero-only work
        if not trainer.is_global_zero:
            return
        merged: dict[str, list[tuple]] = {}
        for part in everything:
            for name, chunks in part.items():
                merged.setdefault(name, []).extend(chunks)
        if not any(name.startswith("trained") for name in merged):
            return
        series = {name: {"conf": torch.cat([c[0] for c in chunks]), "correct": torch.cat([c[1] for c in chunks]),
                         "kind": [k for c in chunks for k in c[2]], "group": [x for c in chunks for x in c[3]]}
                  for name, chunks in merged.items()}
        self.path, self.summary = write_report(series, self._out, f"{type(pl_module).__name__}: held-out calibration")
        if trainer.logger is not None:
            flat = {}
            for name, r in self.summary.items():
                key = name.replace(" (", "/").replace(")", "").replace(" ", "_")
                for m in ("acc", "ECE", "AUROC", "AUROC_within", "Brier", "gap", "ECE_calibrated", "ECE_p"):
                    if m in r:
                        flat[f"test/report/{key}/{m}"] = r[m]
                for m in ("ECE_ci", "AUROC_ci"):
                    if m in r:
                        flat[f"test/report/{key}/{m}_low"], flat[f"test/report/{key}/{m}_high"] = r[m]
            trainer.logger.log_metrics(flat, step=trainer.global_step)
        print(f"calibration report: {self.path}")
