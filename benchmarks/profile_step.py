"""Where one RL step's time goes: sampling, signals/rewards, log-prob pass, backward, optimizer.

The work is ``bench_vs_trl.py``'s (4 prompts x 8 rollouts x <= 32 tokens, LoRA r8, tags mode), run by
the real Lightning loop; each phase is timed with a device synchronise at its edges. Also times
``transformers``' ``generate`` on the same prompts and rows (what TRL samples with), as a yardstick
for the sampler, and prints the top operators of one step from ``torch.profiler``.

    python benchmarks/profile_step.py                               # CPU, embedded SmolLM2-135M
    python benchmarks/profile_step.py --shape qwen2.5-0.5b          # random-weight Qwen2.5-0.5B shape (GPU)
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import lightning as L  # noqa: E402
import torch  # noqa: E402

import calibmodule.rl as rl  # noqa: E402

PHASES = ["sample", "signals", "logprob", "loss", "backward", "optimizer", "other"]


def _sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


class PhaseTimer(L.Callback):
    """Splits each training step at Lightning's hooks and at the sampler / log-prob / signal calls."""

    def __init__(self):
        self.steps: list[dict[str, float]] = []
        self.cur: dict[str, float] = defaultdict(float)
        self._t = 0.0

    def wrap(self, owner, name: str, phase: str) -> None:
        fn = getattr(owner, name)

        def timed(*a, **k):
            _sync()
            t0 = time.perf_counter()
            out = fn(*a, **k)
            _sync()
            self.cur[phase] += time.perf_counter() - t0
            return out

        setattr(owner, name, timed)

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        _sync()
        self.cur = defaultdict(float)
        self._t = self._t0 = time.perf_counter()

    def _mark(self, phase):
        _sync()
        now = time.perf_counter()
        self.cur[phase] += now - self._t
        self._t = now

    def on_before_backward(self, trainer, pl_module, loss):
        _sync()
        now = time.perf_counter()
        inside = sum(self.cur[p] for p in ("sample", "signals", "logprob"))
        self.cur["loss"] += now - self._t0 - inside  # training_step minus the wrapped calls
        self._t = now

    def on_after_backward(self, trainer, pl_module):
        self._mark("backward")

    def on_before_optimizer_step(self, trainer, pl_module, optimizer):
        self._mark("other")  # gradient clipping etc.

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        self._mark("optimizer")
        self.cur["total"] = time.perf_counter() - self._t0
        self.steps.append(dict(self.cur))


def run(model_path: str, steps: int, accelerator: str, precision: str, profile: bool) -> dict:
    import bench_vs_trl as b

    from calibmodule.models import LoraConfig
    from datamodules.qa import QADataModule

    timer = PhaseTimer()
    timer.wrap(rl, "sample_rollouts", "sample")
    timer.wrap(rl, "completion_logprobs", "logprob")
    timer.wrap(rl.RLCalibrationModule, "compute_signals", "signals")
    torch.manual_seed(0)
    module = rl.RLCalibrationModule(model=model_path, lora=LoraConfig(r=8, alpha=16), confidence_mode="tags",
                                    num_rollouts=b.ROLLOUTS, max_answer_tokens=b.MAX_NEW, temperature=1.0, lr=b.LR)
    cbs: list[L.Callback] = [timer]
    if profile:
        cbs.append(OneStepProfile(step=min(2, steps)))
    dm = QADataModule(batch_size=b.PROMPTS, max_train=b.PROMPTS * (steps + 1), seed=0)
    trainer = L.Trainer(accelerator=accelerator, devices=1, precision=precision, max_steps=steps + 1, logger=False,
                        enable_checkpointing=False, enable_progress_bar=False, enable_model_summary=False,
                        limit_val_batches=0, callbacks=cbs, gradient_clip_val=1.0)
    trainer.fit(module, dm)
    dm.setup()
    gen_s = time_generate(module, [r["question"] for r in dm.splits["train"][: b.PROMPTS]], b.ROLLOUTS, b.MAX_NEW,
                          precision)
    keep = timer.steps[1:]  # first step is warm-up
    mean = {k: statistics.mean(s.get(k, 0.0) for s in keep) for k in [*PHASES, "total"]}
    return {"phases": mean, "generate_s": gen_s}


class OneStepProfile(L.Callback):
    def __init__(self, step: int):
        self.step, self.prof = step, None

    def on_train_batch_start(self, trainer, pl_module, batch, batch_idx):
        if trainer.global_step == self.step:
            acts = [torch.profiler.ProfilerActivity.CPU]
            if torch.cuda.is_available():
                acts.append(torch.profiler.ProfilerActivity.CUDA)
            self.prof = torch.profiler.profile(activities=acts)
            self.prof.__enter__()

    def on_train_batch_end(self, trainer, pl_module, outputs, batch, batch_idx):
        if self.prof is not None and trainer.global_step == self.step + 1:
            _sync()
            self.prof.__exit__(None, None, None)
            key = "self_cuda_time_total" if torch.cuda.is_available() else "self_cpu_time_total"
            print(self.prof.key_averages().table(sort_by=key, row_limit=18, max_name_column_width=40))
            if torch.cuda.is_available():
                print(self.prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=12,
                                                     max_name_column_width=40))
            self.prof = None


@torch.no_grad()
def time_generate(module, questions: list[str], n: int, max_new: int, precision: str, reps: int = 3) -> float:
    """Seconds for ``generate`` (sampling, T=1, KV cache) on the same prompts x rollouts."""
    policy, tok = module.policy, module.tokenizer
    policy.eval()
    enc = tok(module.prompts(questions), return_tensors="pt", padding=True, add_special_tokens=False).to(module.device)
    ids = enc["input_ids"].repeat_interleave(n, 0)
    mask = enc["attention_mask"].repeat_interleave(n, 0)
    use_amp = precision.startswith("bf16") and torch.cuda.is_available()
    times = []
    for _ in range(reps + 1):
        _sync()
        t0 = time.perf_counter()
        with torch.autocast("cuda", dtype=torch.bfloat16, enabled=use_amp):
            policy.generate(input_ids=ids, attention_mask=mask, do_sample=True, temperature=1.0, top_k=0, top_p=1.0,
                            max_new_tokens=max_new, pad_token_id=tok.pad_token_id)
        _sync()
        times.append(time.perf_counter() - t0)
    return statistics.mean(times[1:])


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default=None, help="a gpu_step.py shape with random weights (default: SmolLM2-135M)")
    ap.add_argument("--steps", type=int, default=3, help="timed steps (after 1 warm-up)")
    ap.add_argument("--no-profile", action="store_true")
    args = ap.parse_args(argv)
    gpu = torch.cuda.is_available()
    accelerator, precision = ("gpu", "bf16-mixed") if gpu else ("cpu", "32-true")
    with tempfile.TemporaryDirectory() as d:
        if args.shape:
            import gpu_step

            path = gpu_step.build_model(args.shape, Path(d) / args.shape)
        else:
            from calibmodule.models import ensure_embedded_checkpoint

            path = str(ensure_embedded_checkpoint())
        res = run(path, args.steps, accelerator, precision, not args.no_profile)
    ph = res["phases"]
    device = torch.cuda.get_device_name(0) if gpu else "cpu"
    print(f"\n{args.shape or 'smollm2-135m'} on {device} ({precision}); mean of {args.steps} steps")
    for k in [*PHASES, "total"]:
        print(f"  {k:10s} {ph[k]:7.3f} s  {100 * ph[k] / ph['total']:5.1f} %")
    print(f"  generate() on the same rows: {res['generate_s']:.3f} s (sampler / generate = "
          f"{ph['sample'] / res['generate_s']:.2f})")
    return res


if __name__ == "__main__":
    main()
