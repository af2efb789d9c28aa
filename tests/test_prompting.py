import pytest

from calibmodule.prompting import build_prompt, digit_to_confidence, extract_answer, extract_confidence


@pytest.mark.parametrize("text,expected", [
    ("<answer>Oslo</answer> <confidence>0.7</confidence>", 0.7),
    ("<confidence>.25</confidence>", 0.25),
    ("<confidence> 85% </confidence>", 0.85),
    ("<confidence>85</confidence>", 0.85),  # bare percentage
    ("<confidence>1</confidence>", 1.0),
    ("<confidence>0</confidence>", 0.0),
    ("<CONFIDENCE>0.3</CONFIDENCE>", 0.3),
    ("<confidence>0.2</confidence> then <confidence>0.9</confidence>", 0.9),  # last wins
])
def test_extract_confidence_valid(text, expected):
    assert extract_confidence(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", [
    None, "", "no tags at all", "<confidence></confidence>", "<confidence>very sure</confidence>",
    "<confidence>-0.2</confidence>", "<confidence>150</confidence>", "<confidence>0.7", "confidence: 0.7",
    "<confidence>nan</confidence>", "<confidence>inf</confidence>", "<confidence>1e5</confidence>",
    "<confidence>0.5.5</confidence>", "\x00\xff<confidence>\n</confidence>", "<confidence>" * 1000,
])
def test_extract_confidence_garbage_is_none(text):
    assert extract_confidence(text) is None


def test_extract_answer():
    assert extract_answer("<answer> Oslo </answer><confidence>1</confidence>") == "Oslo"
    assert extract_answer("<answer></answer>") is None
    assert extract_answer("Oslo") is None
    assert extract_answer(None) is None


def test_digit_midpoints():
    assert [digit_to_confidence(d) for d in (0, 9)] == [0.05, 0.95]


def test_build_prompt_uses_chat_template(smollm_dir):
    from transformers import AutoTokenizer

    tok = AutoTokenizer.from_pretrained(smollm_dir)
    p = build_prompt(tok, "What is the capital of France?", "constrained")
    assert p.startswith("<|im_start|>") and p.endswith("<|im_start|>assistant\n")
    assert "Confidence: N" in p
    assert "<confidence>" in build_prompt(tok, "Q?", "tags")
