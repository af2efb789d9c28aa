"""Use a trained model from Python: load a finished run (its folder, a .ckpt, or its exported
adapter folder) and ask it questions.

>>> from calibmodule.api import load                                    # doctest: +SKIP
>>> model = load("runs/calibmodule/version_0")  # doctest: +SKIP
>>> model.ask(["What is the capital of Norway?"])                       # doctest: +SKIP
[Answer(answer='The capital of Norway is Oslo.', confidence=0.62)]

``ask`` decodes greedily (what a user sees) and returns the module's ``eval_confidence`` read-out.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import NamedTuple

import torch

MANIFEST = "calibmodule.json"  # written beside the exported adapter by callbacks.export.ExportAdapter
HEAD_FILE = "confidence_head.safetensors"  # the confidence head (sampling.ConfidenceHead), when the module has one


class Answer(NamedTuple):
    answer: str
    confidence: float


def _class(path: str):
    module, _, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)


def manifest(module) -> dict:
    """What rebuilds ``module`` around an exported adapter: its class and JSON-able init arguments."""
    hp = {k: (asdict(v) if is_dataclass(v) else v) for k, v in dict(module.hparams).items()}
    keep = {k: v for k, v in hp.items()
            if not k.startswith("_") and isinstance(v, (str, int, float, bool, list, dict, type(None)))}
    return {"class_path": f"{type(module).__module__}.{type(module).__qualname__}", "init_args": keep}


def _from_adapter(folder: Path):
    spec = json.loads((folder / MANIFEST).read_text())
    cls, args = _class(spec["class_path"]), dict(spec["init_args"])
    from calibmodule.models import LoraConfig

    if isinstance(args.get("lora"), dict):
        args["lora"] = LoraConfig(**args["lora"])
    args.pop("targets", None)  # Entropy->Platt stage-1 settings are not needed to answer
    from calibmodule.rl import RLCalibrationModule

    if issubclass(cls, RLCalibrationModule) and cls is not RLCalibrationModule:
        cls = RLCalibrationModule  # answering needs only the policy, not the training signals
    module = cls(**args)
    from peft import set_peft_model_state_dict
    from safetensors.torch import load_file

    set_peft_model_state_dict(module.policy, load_file(str(folder / "adapter_model.safetensors")))
    if getattr(module, "conf_head", None) is not None and (folder / HEAD_FILE).is_file():
        module.conf_head.load_state_dict(load_file(str(folder / HEAD_FILE)))
    return module


def _checkpoint(path: Path) -> Path:
    if path.is_file():
        return path
    for name in ("checkpoints/last.ckpt", "last.ckpt"):
        if (path / name).is_file():
            return path / name
    raise FileNotFoundError(f"{path}: no checkpoints/last.ckpt, .ckpt file or exported adapter ({MANIFEST}) found")


def load(path: str | Path, map_location: str = "cpu"):
    """A trained module from a run folder (``runs/<name>/version_N``), a checkpoint file, or an
    exported adapter folder (``.../export/adapter``), in eval mode."""
    p = Path(path)
    if not p.exists():
        raise FileNotFoundError(f"{path} does not exist")
    if (p / MANIFEST).is_file():
        module = _from_adapter(p)
    elif (p / "export" / "adapter" / MANIFEST).is_file() and not _has_ckpt(p):
        module = _from_adapter(p / "export" / "adapter")
    else:
        ckpt = _checkpoint(p)
        blob = torch.load(ckpt, map_location=map_location, weights_only=False)
        cls_path = blob.get("calibmodule_class")
        if cls_path is None:
            raise ValueError(f"{ckpt} was not written by calibmodule (no 'calibmodule_class' entry)")
        hp = {k: v for k, v in blob.get("hyper_parameters", {}).items() if not k.startswith("_")}
        module = _class(cls_path)(**hp)
        module.on_load_checkpoint(blob)
        module.load_state_dict(blob["state_dict"], strict=False)  # checkpoints hold only trainable weights
    return module.eval()


def _has_ckpt(p: Path) -> bool:
    return (p / "checkpoints" / "last.ckpt").is_file()
