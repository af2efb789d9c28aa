"""Seconds per GRPO step: calibmodule vs TRL's GRPOTrainer, same work, one process, side by side.

Work per step (both): SmolLM2-135M-Instruct (embedded), LoRA r=8 on q/k/v/o, 4 prompts x 8
rollouts x <=32 new tokens, fp32 on CPU with 2 threads, RLCR reward (correctness + Brier) on
RLCR-style tags output, one optimizer step per batch, no KL (TRL default beta=0).
Also: cost of the Stability signal (string and embedding clustering) as a share of step time.

    .venv/bin/pip install -e ".[bench]"   # TRL, for the comparison only
    .venv/bin/python benchmarks/bench_vs_trl.py [--steps 4]

Both sides answer the same questions in the same steps (TRL's unshuffled order). Prints a table and
the ratio calibmodule/TRL of seconds per step, and of seconds per completion token (the rollouts'
lengths are drawn, so they differ a little between the sides). The first step of each side is a
warm-up and is not counted. Run on an otherwise idle machine; both sides run in the same process and session.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import lightning as L  # noqa: E402
import torch  # noqa: E402

from calibmodule.answers import is_correct  # noqa: E402
from calibmodule.models import DEFAULT_MODEL, LoraConfig, ensure_embedded_checkpoint  # noqa: E402
from calibmodule.prompting import extract_answer, extract_confidence, user_message  # noqa: E402
from calibmodule.rewards import total_reward  # noqa: E402
from torch.utils.data import DataLoader  # noqa: E402

from datamodules.qa import QADataModule, collate  # noqa: E402

PROMPTS, ROLLOUTS, MAX_NEW, LR = 4, 8, 32, 1e-4


class StepTimer(L.Callback):
    def __init__(self):
        self.times, self.lengths, self._t = [], [], 0.0

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        self._t = time.perf_counter()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self.times.append(time.perf_counter() - self._t)
        self.lengths.append(float(trainer.callback_metrics.get("train/completion_len", float("nan"))))


def bench_calibmodule(rows, steps: int, stability: str | None, model: str = DEFAULT_MODEL,
                      accelerator: str = "cpu", precision: str = "32-true") -> dict:
    from calibmodule.rl import RLCalibrationModule
    from calibmodule.signals import Stability

    torch.manual_seed(0)
    stab = Stability(method=stability) if stability else None
    stab_s: list[float] = []
    if stab is not None:  # time the signal itself
        call = stab.__call__

        class Timed(Stability):
            def __call__(self, *a, **k):
                t0 = time.perf_counter()
                out = call(*a, **k)
                stab_s.append(time.perf_counter() - t0)
                return out

        stab = Timed(method=stability)
    module = RLCalibrationModule(model=model, lora=LoraConfig(r=8, alpha=16), confidence_mode="tags",
                                 num_rollouts=ROLLOUTS, max_answer_tokens=MAX_NEW, temperature=1.0, lr=LR,
                                 signals=[stab] if stab is not None else None)
    timer = StepTimer()
    # TRL's batches in TRL's order (shuffle_dataset=False): step k answers rows[4k : 4k + 4] on both sides
    loader = DataLoader(rows[: PROMPTS * (steps + 1)], batch_size=PROMPTS, shuffle=False, collate_fn=collate)
    trainer = L.Trainer(accelerator=accelerator, devices=1, precision=precision, max_steps=steps + 1, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        limit_val_batches=0, callbacks=[timer])
    trainer.fit(module, train_dataloaders=loader)
    t = timer.times[1:]
    out = {"s_per_step": statistics.mean(t), "steps": len(t), "completion_len": statistics.mean(timer.lengths[1:])}
    if stab_s:
        out["stability_frac"] = statistics.mean(s / st for s, st in zip(stab_s[1:], t))
    return out


def bench_trl(rows, steps: int, path: str | None = None, use_cpu: bool = True, bf16: bool = False) -> dict:
    from datasets import Dataset
    from peft import LoraConfig as PeftLora
    from transformers import AutoModelForCausalLM, AutoTokenizer, TrainerCallback
    from trl import GRPOConfig, GRPOTrainer

    path = path or str(ensure_embedded_checkpoint())
    ds = Dataset.from_list([{"prompt": [{"role": "user", "content": user_message(r["question"], "tags")}],
                             "answers": r["answers"]} for r in rows[: PROMPTS * (steps + 1)]])

    def rlcr_reward(prompts, completions, answers, **kw):
        texts = [c[0]["content"] if isinstance(c, list) else c for c in completions]
        conf = torch.tensor([c if (c := extract_confidence(t)) is not None else float("nan") for t in texts])
        correct = torch.tensor([float(is_correct(extract_answer(t), a)) for t, a in zip(texts, answers)])
        return total_reward({"correctness": 1.0, "brier_correct": 1.0}, conf, {"correct": correct})[0].tolist()

    class Timer(TrainerCallback):
        def __init__(self):
            self.times, self._t = [], 0.0

        def on_step_begin(self, args, state, control, **kw):
            self._t = time.perf_counter()

        def on_step_end(self, args, state, control, **kw):
            self.times.append(time.perf_counter() - self._t)

    cfg = GRPOConfig(output_dir="/tmp/calibmodule-bench-trl", per_device_train_batch_size=PROMPTS * ROLLOUTS,
                     num_generations=ROLLOUTS, max_completion_length=MAX_NEW, max_steps=steps + 1,
                     learning_rate=LR, use_cpu=use_cpu, bf16=bf16, fp16=False, beta=0.0, num_iterations=1,
                     temperature=1.0, logging_steps=1, report_to=[], save_strategy="no", seed=0,
                     dataloader_num_workers=0, shuffle_dataset=False)
    tok = AutoTokenizer.from_pretrained(path)
    tok.padding_side = "left"
    model = AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)
    timer = Timer()
    trainer = GRPOTrainer(model=model, reward_funcs=rlcr_reward, args=cfg, train_dataset=ds, processing_class=tok,
                          peft_config=PeftLora(r=8, lora_alpha=16, target_modules=["q_proj", "k_proj", "v_proj",
                                                                                   "o_proj"], task_type="CAUSAL_LM"),
                          callbacks=[timer])
    trainer.train()
    lens = [h["completions/mean_length"] for h in trainer.state.log_history if "completions/mean_length" in h]
    t = timer.times[1:]
    return {"s_per_step": statistics.mean(t), "steps": len(t), "completion_len": statistics.mean(lens[1:] or lens)}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=4, help="timed steps per side (after 1 warm-up)")
    ap.add_argument("--skip-trl", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)
    dm = QADataModule(seed=0)
    dm.setup()
    rows = dm.splits["train"]
    res = {"calibmodule": bench_calibmodule(rows, args.steps, None)}
    if not args.skip_trl:
        res["trl"] = bench_trl(rows, args.steps)
        res["calibmodule (again, after TRL)"] = bench_calibmodule(rows, args.steps, None)  # machine drift check
    res["calibmodule+stability(string)"] = bench_calibmodule(rows, args.steps, "string")
    res["calibmodule+stability(embedding)"] = bench_calibmodule(rows, args.steps, "embedding")
    print(f"\n{'run':36s} {'s/step':>8s} {'steps':>6s} {'completion len':>15s} {'ms/token':>9s} {'stability share':>16s}")
    for k, v in res.items():
        share = f"{100 * v['stability_frac']:.2f}%" if "stability_frac" in v else "-"
        per_tok = 1000 * v["s_per_step"] / (PROMPTS * ROLLOUTS * v["completion_len"])
        print(f"{k:36s} {v['s_per_step']:8.2f} {v['steps']:6d} {v['completion_len']:15.1f} {per_tok:9.1f} {share:>16s}")
    if "trl" in res:
        runs = [res["calibmodule"], res["calibmodule (again, after TRL)"]]
        ours = sum(r["s_per_step"] for r in runs) / 2
        ours_tok = sum(r["s_per_step"] / r["completion_len"] for r in runs) / 2
        trl = res["trl"]
        print(f"\nratio calibmodule / TRL (s per step, calibmodule = mean of its runs before and after TRL): "
              f"{ours / trl['s_per_step']:.3f}")
        print(f"ratio calibmodule / TRL (s per completion token): {ours_tok / (trl['s_per_step'] / trl['completion_len']):.3f}")


if __name__ == "__main__":
    main()
