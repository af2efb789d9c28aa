"""Shared fixtures: a tiny random Llama with the real SmolLM2 tokenizer (fast), and the real model."""

from __future__ import annotations

import os

import pytest
import torch

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@pytest.fixture(autouse=True)
def _deterministic_mode_restored():
    """A Trainer built from the shipped presets turns on PyTorch's deterministic mode for the whole process
    (``trainer.deterministic``); put it back after each test so that no test depends on the order they run in."""
    on, warn_only = torch.are_deterministic_algorithms_enabled(), torch.is_deterministic_algorithms_warn_only_enabled()
    yield
    torch.use_deterministic_algorithms(on, warn_only=warn_only)


@pytest.fixture(scope="session")
def smollm_dir():
    from calibmodule.models import ensure_embedded_checkpoint

    return ensure_embedded_checkpoint()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory, smollm_dir):
    """A 2-layer, 32-wide Llama with SmolLM2's tokenizer, saved like any HF checkpoint."""
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tok = AutoTokenizer.from_pretrained(smollm_dir)
    cfg = LlamaConfig(vocab_size=len(tok), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      tie_word_embeddings=True, bos_token_id=tok.bos_token_id, eos_token_id=tok.eos_token_id)
    torch.manual_seed(0)
    model = LlamaForCausalLM(cfg)
    d = tmp_path_factory.mktemp("tiny-llama")
    model.save_pretrained(d)
    tok.save_pretrained(d)
    return str(d)


@pytest.fixture(scope="session")
def sentencepiece_model_dir(tmp_path_factory):
    """A tiny random Llama on a Llama-2-like tokenizer: sentencepiece-style BPE with a word-start mark before the
    first piece ("5" alone -> "▁", "5"; "\\n" alone -> "▁", "\\n"), digits split, byte fallback; trained here on
    a few sentences (no download)."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers
    from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast

    corpus = ["What is the capital of France? The capital of France is Paris.", "Which continent is Kenya in? Africa.",
              "Answer with just the answer (a few words) on one line. Then state your confidence.",
              "Confidence: 7\nThe answer is 42."] * 20
    tok = Tokenizer(models.BPE(unk_token="<unk>", byte_fallback=True, fuse_unk=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    tok.pre_tokenizer = pre_tokenizers.Digits(individual_digits=True)
    tok.decoder = decoders.Sequence([decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(),
                                     decoders.Strip(" ", 1, 0)])
    tok.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<unk>", "<s>", "</s>", *(f"<0x{i:02X}>" for i in range(256))],
        initial_alphabet=list("0123456789")))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<s>", eos_token="</s>", unk_token="<unk>",
                                   pad_token="</s>")
    fast.chat_template = ("{% for m in messages %}{% if m['role'] == 'user' %}<s>[INST] {{ m['content'] }} [/INST]"
                          "{% else %} {{ m['content'] }}</s>{% endif %}{% endfor %}")
    cfg = LlamaConfig(vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2,
                      num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                      tie_word_embeddings=True, bos_token_id=fast.bos_token_id, eos_token_id=fast.eos_token_id)
    torch.manual_seed(0)
    d = tmp_path_factory.mktemp("sentencepiece-llama")
    LlamaForCausalLM(cfg).save_pretrained(d)
    fast.save_pretrained(d)
    return str(d)


@pytest.fixture()
def tiny_module(tiny_model_dir):
    from calibmodule.rl import RLCalibrationModule

    torch.manual_seed(0)
    return RLCalibrationModule(model=tiny_model_dir, num_rollouts=4, max_answer_tokens=6, lr=1e-2)


@pytest.fixture()
def qa_rows():
    return [
        {"id": "q0", "question": "What is the capital of France?", "answers": ["Paris"]},
        {"id": "q1", "question": "What is the capital of Japan?", "answers": ["Tokyo"]},
        {"id": "q2", "question": "Which country has Rome as its capital?", "answers": ["Italy", "Italian Republic"]},
        {"id": "q3", "question": "On which continent is Kenya?", "answers": ["Africa"]},
    ]
