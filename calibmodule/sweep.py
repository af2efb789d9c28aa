"""``python -m calibmodule sweep --config configs/sweeps/X.yaml``: run a list of LightningCLI
configurations one after another and write one results table (CSV + Markdown), a row per run.

Sweep YAML::

    base: configs/stability_mix.yaml        # any `fit` config
    output_dir: runs/sweeps/label_mix
    test: true                              # also run `test` after each fit
    common: ["--trainer.max_steps=30"]      # CLI overrides for every run
    runs:                                   # one entry per run: a name and its overrides
      - {name: mix5050, data.init_args.labelled_fraction: 0.5}
    grid: {model.init_args.lr: [1e-4, 2e-4]} # optional: crossed with every run (summary.md: mean ± sd per run)

A run that fails gets a row with its error; the table is rewritten after every run, so nothing
finished is lost if the sweep is stopped. Started again, a sweep keeps the rows of runs that finished
with the same command (``results.csv`` holds each run's command) and runs only the others; ``--rerun``
runs all. ``summary.md`` has the columns of the stability blog's tables:
labels used, accuracy, gap, ECE and AUROC under both read-outs, and the stability / stated-confidence
correlations with correctness (when ``callbacks.stability_check.StabilityCorrelation`` ran).
"""

from __future__ import annotations

import argparse
import csv
import itertools
import re
import shlex
import statistics
import time
import traceback
from pathlib import Path

import yaml

from calibmodule.cli import main as cli_main


class SweepError(ValueError):
    pass


def load_sweep(path: str) -> dict:
    p = Path(path)
    if not p.is_file():
        raise SweepError(f"sweep config {path!r} does not exist")
    try:
        spec = yaml.safe_load(p.read_text(encoding="utf-8"))
    except yaml.YAMLError as e:
        raise SweepError(f"sweep config {path!r} is not valid YAML: {e}") from None
    except UnicodeDecodeError:
        from datamodules.qa import _not_utf8

        raise SweepError(f"sweep config {path!r} is not UTF-8 text ({_not_utf8(p)}): save it as UTF-8") from None
    if spec is None:
        raise SweepError(f"sweep config {path!r} is empty: it needs 'base' and 'runs' (see configs/sweeps/)")
    if not isinstance(spec, dict):
        raise SweepError(f"sweep config {path!r} holds a YAML {type(spec).__name__}, not a mapping with 'base' and "
                         f"'runs' (see configs/sweeps/)")
    for key in ("base", "runs"):
        if key not in spec:
            raise SweepError(f"sweep config {path!r}: missing required key {key!r}")
    if not Path(spec["base"]).is_file():
        raise SweepError(f"sweep config {path!r}: base config {spec['base']!r} does not exist")
    runs = spec["runs"]
    if not isinstance(runs, list) or not runs or not all(isinstance(r, dict) and "name" in r for r in runs):
        raise SweepError(f"sweep config {path!r}: 'runs' must be a non-empty list of mappings with a 'name'")
    seen: dict[str, int] = {}
    for i, r in enumerate(runs):
        name = r["name"]
        if not isinstance(name, (str, int)) or not _SAFE_NAME.fullmatch(str(name)):
            raise SweepError(f"sweep config {path!r}: runs[{i}].name {name!r} must be letters, digits, '.', '_', '-' or "
                             f"'=' (it names the run's folder)")
        if str(name) in seen:
            raise SweepError(f"sweep config {path!r}: runs[{i}].name {name!r} repeats runs[{seen[str(name)]}]'s: "
                             f"their outputs would share one folder")
        seen[str(name)] = i
    common = spec.get("common", [])
    if not isinstance(common, list) or not all(isinstance(a, str) for a in common):
        raise SweepError(f"sweep config {path!r}: 'common' must be a list of CLI arguments, e.g. "
                         f"[\"--trainer.max_steps=30\"], got {common!r}")
    grid = spec.get("grid") or {}
    if not isinstance(grid, dict):
        raise SweepError(f"sweep config {path!r}: 'grid' must map keys to lists of values, got {grid!r}")
    for k, v in grid.items():
        if not isinstance(v, list) or not v:
            raise SweepError(f"sweep config {path!r}: grid[{k!r}] must be a non-empty list of values, got {v!r}")
    if not isinstance(spec.get("test", False), bool):
        raise SweepError(f"sweep config {path!r}: 'test' must be true or false, got {spec['test']!r}")
    return spec


_SAFE_NAME = re.compile(r"[\w.=-]+")


def expand(spec: dict) -> list[tuple[str, dict]]:
    """(name, {dotted.key: value}) for every run x grid point."""
    return [(name, over) for name, over, _ in _expand(spec)]


def _expand(spec: dict) -> list[tuple[str, dict, str]]:
    """(name, overrides, the run's own name) for every run x grid point."""
    grid = spec.get("grid") or {}
    keys = list(grid)
    out = []
    for run in spec["runs"]:
        base = {k: v for k, v in run.items() if k != "name"}
        for values in itertools.product(*(grid[k] for k in keys)) if keys else [()]:
            over = {**base, **dict(zip(keys, values))}
            suffix = "".join(f"_{k.split('.')[-1]}={v}" for k, v in zip(keys, values))
            out.append((f"{run['name']}{suffix}", over, run["name"]))
    return out


_TEXT_COLUMNS = ("run", "status", "command", "sweep_run")


def _cell(v: str):
    """A results.csv cell back as the value it was written from: "" -> None, numbers -> int / float."""
    if v == "":
        return None
    for kind in (int, float):
        try:
            return kind(v)
        except ValueError:
            pass
    return v


def finished_runs(out_dir: Path) -> dict[str, dict]:
    """Rows of an earlier sweep into ``out_dir`` that finished (status ok), by command: what a restarted sweep
    keeps instead of running again. A table of an older version (no ``command`` column) keeps nothing."""
    path = out_dir / "results.csv"
    if not path.is_file():
        return {}
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {r["command"]: {k: (v if k in _TEXT_COLUMNS else _cell(v)) for k, v in r.items() if v != ""}
            for r in rows if r.get("status") == "ok" and r.get("command")}


def write_tables(rows: list[dict], out_dir: Path) -> None:
    cols = list(dict.fromkeys(k for r in rows for k in r))
    with open(out_dir / "results.csv", "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=cols)
        w.writeheader()
        w.writerows(rows)

    def fmt(v):
        return f"{v:.4f}" if isinstance(v, float) else str(v if v is not None else "")

    cols = [c for c in cols if c != "command"]  # in results.csv only: it is long
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    lines += ["| " + " | ".join(fmt(r.get(c)) for c in cols) + " |" for r in rows]
    (out_dir / "results.md").write_text("\n".join(lines) + "\n")


SUMMARY = [("labels used", "labelled_fraction"), ("epochs", "max_epochs"), ("acc", "test/acc"),
           ("gap", "test/cal/gap"), ("ECE", "test/cal/ECE"), ("AUROC", "test/sc/AUROC"),
           ("greedy gap", "test/greedy/cal/gap"), ("greedy ECE", "test/greedy/cal/ECE"),
           ("greedy AUROC", "test/greedy/sc/AUROC"), ("r stability", "val/corr/stability_r"),
           ("r stated conf.", "val/corr/confidence_r"), ("minutes", "minutes"), ("status", "status")]


def write_summary(rows: list[dict], out_dir: Path) -> None:
    """The blog-style table: one row per run, the SUMMARY columns that any run has; then, for each run repeated
    over a grid (rows with the same ``sweep_run``, e.g. seeds), its finished rows' mean ± sample sd."""
    cols = [(title, key) for title, key in SUMMARY if any(key in r for r in rows)]

    def fmt(title, v):
        if isinstance(v, float):
            return f"{v:+.3f}" if "gap" in title else f"{v:.3f}"
        return str(v if v is not None else "")

    lines = ["| run | " + " | ".join(t for t, _ in cols) + " |", "|---" * (len(cols) + 1) + "|"]
    lines += ["| " + " | ".join([r["run"], *(fmt(t, r.get(k)) for t, k in cols)]) + " |" for r in rows]
    for group in dict.fromkeys(r["sweep_run"] for r in rows if "sweep_run" in r):
        done = [r for r in rows if r.get("sweep_run") == group and r.get("status") == "ok"]
        if len(done) < 2:
            continue
        cells = []
        for title, key in cols:
            vals = [r.get(key) for r in done]
            if len(set(map(str, vals))) == 1:  # the same in every row (a setting, "ok"): said once
                cells.append(fmt(title, vals[0]))
            elif all(isinstance(v, (int, float)) for v in vals):
                cells.append(f"{fmt(title, float(statistics.fmean(vals)))} ± {statistics.stdev(vals):.3f}")
            else:
                cells.append("")
        lines.append("| " + " | ".join([f"{group}: mean ± sd of {len(done)}", *cells]) + " |")
    (out_dir / "summary.md").write_text("\n".join(lines) + "\n")


def run_sweep(path: str, dry_run: bool = False, rerun: bool = False) -> list[dict]:
    spec = load_sweep(path)
    out_dir = Path(spec.get("output_dir", f"runs/sweeps/{Path(path).stem}"))
    if not dry_run:  # a dry run writes nothing: it must not replace a finished sweep's tables
        out_dir.mkdir(parents=True, exist_ok=True)
    done = {} if rerun or dry_run else finished_runs(out_dir)
    rows: list[dict] = []
    for name, over, own in _expand(spec):
        run_dir = out_dir / name
        args = ["fit", "--config", spec["base"], *spec.get("common", []),
                *[f"--{k}={v}" for k, v in over.items()],
                f"--trainer.default_root_dir={run_dir}", f"--trainer.logger.init_args.save_dir={run_dir}"]
        row: dict = {"run": name, **{k.split(".")[-1]: v for k, v in over.items()}}
        if spec.get("grid"):
            row["sweep_run"] = own
        row["command"] = "python -m calibmodule " + shlex.join(args)
        if dry_run:
            print(f"{name}: {row['command']}")
            rows.append(row)
            continue
        if row["command"] in done:
            print(f"sweep: {name} finished in an earlier sweep with the same command; kept (--rerun runs it again)")
            rows.append(done[row["command"]])
            continue
        t0 = time.time()
        try:
            cli = cli_main(args)
            metrics = dict(cli.trainer.callback_metrics)
            if spec.get("test", False):
                cli.trainer.test(cli.model, datamodule=cli.datamodule, verbose=False)
                metrics.update(cli.trainer.callback_metrics)
            row.update({k: float(v) for k, v in sorted(metrics.items()) if k.startswith(("val/", "test/"))})
            row["status"] = "ok"
        except (Exception, SystemExit) as e:  # one broken run must not lose the others
            msg = str(e.code) if isinstance(e, SystemExit) else f"{e.__class__.__name__}: {e}"
            row["status"] = "failed: " + (msg.strip().splitlines() or [""])[0]
            if not isinstance(e, SystemExit):
                traceback.print_exc()
        row["minutes"] = round((time.time() - t0) / 60, 2)
        rows.append(row)
        write_tables(rows, out_dir)
        write_summary(rows, out_dir)
    if dry_run:
        return rows
    write_tables(rows, out_dir)
    write_summary(rows, out_dir)
    print(f"sweep results: {out_dir / 'results.md'}")
    return rows


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m calibmodule sweep", description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", required=True, help="sweep YAML (see configs/sweeps/)")
    ap.add_argument("--dry_run", action="store_true", help="only print each run's command; writes nothing")
    ap.add_argument("--rerun", action="store_true", help="run every run again, also those an earlier sweep into the "
                                                          "same output_dir finished with the same command")
    a = ap.parse_args(argv)
    try:
        run_sweep(a.config, a.dry_run, a.rerun)
    except SweepError as e:
        raise SystemExit(f"error: {e}") from None
