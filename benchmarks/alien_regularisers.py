"""ALIEN ablation: what the two regularisers and the training length do to the head, side by side.

Extracts the frozen-LM features (mean answer-token entropy, mean hidden state, wrong label) once
for the train/val/test splits of a config, then trains fresh heads for each (epochs, λ_anchor,
λ_consistency) setting with the module's own loss (``AlienModule.training_step``) and prints
val and test AUROC / ECE / Brier next to the Platt-calibrated raw-entropy baseline.

    python benchmarks/alien_regularisers.py                      # SmolLM2 + world facts (~6 min on 2 cores)
    python benchmarks/alien_regularisers.py --max-train 64       # quicker
"""

from __future__ import annotations

import argparse
import itertools
import time
import warnings

import torch

from calibmodule.alien import AlienModule, EntropyHead
from calibmodule.metrics import calibration_metrics
from calibmodule.platt import fit_platt
from datamodules.qa import QADataModule


def split_features(m: AlienModule, loader) -> list[dict]:
    """Per batch: the question batch (ids only matter) after caching its features in ``m``."""
    batches = []
    for batch in loader:
        m.features(batch)
        batches.append(batch)
    return batches


def evaluate(conf: torch.Tensor, correct: torch.Tensor) -> dict:
    metrics = calibration_metrics()
    metrics.update(conf, correct.long())
    out = {k: float(v) for k, v in metrics.compute().items()}
    return {"AUROC": out["sc/AUROC"], "ECE": out["cal/ECE"], "Brier": out["cal/Brier"]}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--model", default="smollm2-135m-instruct")
    ap.add_argument("--max-train", type=int, default=600)
    ap.add_argument("--max-eval", type=int, default=None, help="cap on val and test questions (default 200 / 400)")
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--lr", type=float, default=1e-2)
    ap.add_argument("--epochs", type=int, nargs="+", default=[10, 30])
    ap.add_argument("--anchor", type=float, nargs="+", default=[0.0, 1e-2, 1e-1])
    ap.add_argument("--consistency", type=float, nargs="+", default=[0.0, 1e-2, 1e-1])
    args = ap.parse_args()
    torch.manual_seed(0)
    warnings.filterwarnings("ignore", message=".*self.log.*")  # training_step logs; no trainer here

    dm = QADataModule(max_train=args.max_train, batch_size=args.batch_size, eval_batch_size=50,
                      max_val=args.max_eval or 200, max_test=args.max_eval or 400, seed=0)
    dm.setup()
    m = AlienModule(model=args.model)
    t0 = time.perf_counter()
    train = split_features(m, dm.train_dataloader())
    val = split_features(m, dm.val_dataloader())
    test = split_features(m, dm.test_dataloader())
    print(f"features: {len(m._cache)} questions in {time.perf_counter() - t0:.0f} s")

    def stacked(batches):
        ent, hid, wrong = zip(*(m.features(b) for b in batches))
        return torch.cat(ent), torch.cat(hid), torch.cat(wrong)

    tr, va, te = stacked(train), stacked(val), stacked(test)
    platt = fit_platt(tr[0][:, None], 1 - tr[2])
    rows = [("raw entropy + Platt", "-", "-", "-",
             evaluate(platt.predict(va[0][:, None]), 1 - va[2]), evaluate(platt.predict(te[0][:, None]), 1 - te[2]))]
    for epochs, lam_a, lam_c in itertools.product(args.epochs, args.anchor, args.consistency):
        m.hparams.anchor_weight, m.hparams.consistency_weight = lam_a, lam_c
        m.head = EntropyHead(m.head.w.numel())
        opt = m.configure_optimizers()
        for _ in range(epochs):
            for i in torch.randperm(len(train)).tolist():
                loss = m.training_step(train[i], i)
                opt.zero_grad()
                loss.backward()
                opt.step()
        with torch.no_grad():
            res = [evaluate(1 - m.head.p_wrong(m.head.score(e, h)), 1 - w) for e, h, w in (va, te)]
        rows.append(("ALIEN head", epochs, lam_a, lam_c, *res))

    print(f"train {len(tr[0])} (acc {1 - tr[2].mean():.3f}), val {len(va[0])}, test {len(te[0])}")
    print("| score | epochs | λ_anchor | λ_cons | val AUROC | val ECE | val Brier | test AUROC | test ECE | test Brier |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for name, ep, a, c, v, t in rows:
        print(f"| {name} | {ep} | {a} | {c} | {v['AUROC']:.3f} | {v['ECE']:.3f} | {v['Brier']:.3f} "
              f"| {t['AUROC']:.3f} | {t['ECE']:.3f} | {t['Brier']:.3f} |")


if __name__ == "__main__":
    main()
