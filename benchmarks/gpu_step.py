"""One RL step on a GPU-sized model: calibmodule vs TRL GRPOTrainer, same work, side by side.

The model has a real model's shape (default: Qwen2.5-0.5B-Instruct: 24 layers, hidden 896, 14 heads,
2 KV heads, MLP 4864) with random weights, so nothing is downloaded; its vocabulary is SmolLM2's
tokenizer (49,152 tokens, so every sampled id decodes), which makes the output layer smaller than
the real model's 151,936. Work per step (both sides): 4 prompts x 8 rollouts x <= 32 new tokens, LoRA
r=8 on q/k/v/o, RLCR reward on tags output, one optimizer step, bf16 autocast on GPU.

    python benchmarks/gpu_step.py                 # on a GPU machine (needs trl for the comparison)
    python benchmarks/gpu_step.py --tiny --skip-trl --steps 1   # CPU smoke test (the test suite runs this)

Prints seconds per step, generated tokens/s, peak GPU memory and the calibmodule/TRL ratio.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import torch  # noqa: E402

SHAPES = {  # transformers config kwargs of real models (random weights)
    "qwen2.5-0.5b": dict(hidden_size=896, intermediate_size=4864, num_hidden_layers=24, num_attention_heads=14,
                         num_key_value_heads=2, max_position_embeddings=4096, rope_theta=1e6, tie_word_embeddings=True),
    "tiny": dict(hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                 num_key_value_heads=2, max_position_embeddings=512, tie_word_embeddings=True),
}


def build_model(shape: str, out: Path) -> str:
    from transformers import AutoTokenizer, Qwen2Config, Qwen2ForCausalLM

    from calibmodule.models import ensure_embedded_checkpoint

    tok = AutoTokenizer.from_pretrained(ensure_embedded_checkpoint())
    cfg = Qwen2Config(vocab_size=len(tok), bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id,
                      **SHAPES[shape])
    torch.manual_seed(0)
    Qwen2ForCausalLM(cfg).save_pretrained(out)
    tok.save_pretrained(out)
    return str(out)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shape", default="qwen2.5-0.5b", choices=sorted(SHAPES))
    ap.add_argument("--tiny", action="store_true", help="shape 'tiny' (CPU smoke test)")
    ap.add_argument("--steps", type=int, default=3, help="timed steps per side (after 1 warm-up)")
    ap.add_argument("--skip-trl", action="store_true")
    ap.add_argument("--save-model", default=None, help="also keep the random-weight checkpoint here (for a CLI fit)")
    args = ap.parse_args(argv)
    shape = "tiny" if args.tiny else args.shape
    gpu = torch.cuda.is_available()
    import bench_vs_trl as b

    from datamodules.qa import QADataModule

    dm = QADataModule(seed=0)
    dm.setup()
    rows = dm.splits["train"]
    res = {}
    with tempfile.TemporaryDirectory() as d:
        path = build_model(shape, Path(args.save_model or Path(d) / shape))
        for name in ["calibmodule", *([] if args.skip_trl else ["trl"])]:
            if gpu:
                torch.cuda.empty_cache()
                torch.cuda.reset_peak_memory_stats()
            t0 = time.perf_counter()
            if name == "calibmodule":
                r = b.bench_calibmodule(rows, args.steps, None, model=path, accelerator="gpu" if gpu else "cpu",
                                        precision="bf16-mixed" if gpu else "32-true")
            else:
                r = b.bench_trl(rows, args.steps, path=path, use_cpu=not gpu, bf16=gpu)
            r["wall_s"] = time.perf_counter() - t0
            r["tokens_per_s"] = b.PROMPTS * b.ROLLOUTS * r["completion_len"] / r["s_per_step"]
            r["peak_gpu_gib"] = torch.cuda.max_memory_allocated() / 2**30 if gpu else float("nan")
            res[name] = r
    device = torch.cuda.get_device_name(0) if gpu else "cpu"
    print(f"\nshape {shape} on {device}; {b.PROMPTS} prompts x {b.ROLLOUTS} rollouts x <= {b.MAX_NEW} tokens, LoRA r8")
    print(f"{'run':12s} {'s/step':>8s} {'tokens/s':>9s} {'peak GPU GiB':>13s} {'compl. len':>11s}")
    for k, v in res.items():
        print(f"{k:12s} {v['s_per_step']:8.3f} {v['tokens_per_s']:9.1f} {v['peak_gpu_gib']:13.2f} {v['completion_len']:11.1f}")
    if "trl" in res:
        print(f"ratio calibmodule / TRL (s per step): {res['calibmodule']['s_per_step'] / res['trl']['s_per_step']:.3f}")
    return res


if __name__ == "__main__":
    main()
