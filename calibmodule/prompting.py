"""How the model is asked, and how its answer and confidence are read back.

Two confidence formats:

* ``constrained`` — the model writes a short answer and ends it with a newline; the sampler
  then appends the fixed scaffold ``Confidence: `` and draws one digit ``d`` in 0-9 from the
  policy restricted to the ten digit tokens. ``d`` means "between 10·d % and 10·(d+1) %", read
  as the bin midpoint ``(d + 0.5) / 10``. Every rollout has a valid confidence, and the
  digit's probability is a proper policy action.
* ``tags`` — RLCR-style free text ``<answer>…</answer> <confidence>0.7</confidence>``, parsed
  by :func:`extract_confidence` / :func:`extract_answer`; malformed output gives ``None``.
"""

from __future__ import annotations

import math
import re
from typing import Literal

ConfidenceMode = Literal["constrained", "tags"]

NUM_CONF_BINS = 10
SCAFFOLD = "Confidence: "

_CONSTRAINED_INSTRUCTION = (
    "Answer with just the answer (a few words) on one line. "
    "On the next line rate how likely your answer is correct, from 0 (surely wrong) to 9 (surely right), "
    "as 'Confidence: N'."
)
_TAGS_INSTRUCTION = (
    "Give your answer inside <answer></answer> tags, then your probability (0 to 1) that it is correct "
    "inside <confidence></confidence> tags. Example: <answer>Paris</answer> <confidence>0.8</confidence>"
)


# The prompting baseline (stability blog): an aggressive instruction to be calibrated, with no training.
CALIBRATION_INSTRUCTION = (
    "Be honest about uncertainty. Models like you are usually overconfident: many answers you feel sure "
    "about are wrong. Give a high confidence only when you are certain, a low one whenever you might be "
    "wrong, and make your confidence match how often answers like yours are right."
)


def user_message(question: str, mode: ConfidenceMode, calibration_prompt: bool = False) -> str:
    instruction = _CONSTRAINED_INSTRUCTION if mode == "constrained" else _TAGS_INSTRUCTION
    if calibration_prompt:
        instruction = f"{instruction}\n{CALIBRATION_INSTRUCTION}"
    return f"{question}\n{instruction}"


def build_prompt(tokenizer, question: str, mode: ConfidenceMode, calibration_prompt: bool = False) -> str:
    """The chat-formatted prompt text (falls back to plain text for tokenizers with no template);
    ``calibration_prompt`` adds :data:`CALIBRATION_INSTRUCTION` (the prompting baseline)."""
    content = user_message(question, mode, calibration_prompt)
    if getattr(tokenizer, "chat_template", None):
        return tokenizer.apply_chat_template(
            [{"role": "user", "content": content}], tokenize=False, add_generation_prompt=True
        )
    return f"Question: {content}\nAnswer: "


def digit_to_confidence(digit: int) -> float:
    """Bin midpoint of a 0-9 confidence digit."""
    return (digit + 0.5) / NUM_CONF_BINS


_CONF_RE = re.compile(r"<confidence>\s*([^<]*?)\s*</confidence>", re.IGNORECASE | re.DOTALL)
_ANS_RE = re.compile(r"<answer>\s*(.*?)\s*</answer>", re.IGNORECASE | re.DOTALL)
_NUM_RE = re.compile(r"^([0-9]*\.?[0-9]+)\s*(%?)$")


def extract_confidence(text: str | None) -> float | None:
    """Confidence in [0, 1] from ``<confidence>…</confidence>``, or None if absent/malformed.

    Accepts ``0.7``, ``.7``, ``70%``; a bare number in (1, 100] is read as a percentage.
    The last tag wins (models sometimes restate). Anything else -> None, never an exception.

    >>> extract_confidence("<answer>Oslo</answer> <confidence>0.7</confidence>")
    0.7
    >>> extract_confidence("<confidence>85%</confidence>")
    0.85
    >>> extract_confidence("<confidence>very sure</confidence>") is None
    True
    """
    if not text:
        return None
    found = _CONF_RE.findall(text)
    if not found:
        return None
    m = _NUM_RE.match(found[-1].strip())
    if m is None:
        return None
    value = float(m.group(1))
    if m.group(2) == "%" or 1.0 < value <= 100.0:
        value /= 100.0
    if not math.isfinite(value) or not 0.0 <= value <= 1.0:
        return None
    return value


def extract_answer(text: str | None) -> str | None:
    """The text inside the first ``<answer>…</answer>``, or None."""
    if not text:
        return None
    m = _ANS_RE.search(text)
    if m is None or not m.group(1).strip():
        return None
    return m.group(1).strip()
