"""Answer matching: normalisation, aliases and a bounded containment rule.

>>> is_correct("The Paris.", ["Paris"])
True
>>> is_correct("It is Paris, France", ["paris"])
True
>>> is_correct("Lyon, Paris, Marseille, Nice, Lille, Bordeaux, Toulouse", ["Paris"])
False
"""

from __future__ import annotations

import re
import string
import unicodedata

_ARTICLES = {"a", "an", "the"}
_PUNCT = re.compile(f"[{re.escape(string.punctuation)}]")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, drop articles, collapse whitespace."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(w for w in text.split() if w not in _ARTICLES)


def is_correct(prediction: str | None, answers: list[str], max_extra_words: int = 4) -> bool:
    """True when the prediction matches any alias.

    A match is either equality after ``normalize`` or containment of the alias's words as a
    contiguous run inside a prediction that has at most ``max_extra_words`` more words than the
    alias (so "It is Paris" counts, a list of ten cities does not).
    """
    if not prediction:
        return False
    pred = normalize(prediction).split()
    if not pred:
        return False
    for alias in answers:
        gold = normalize(alias).split()
        if not gold:
            continue
        if pred == gold:
            return True
        if len(pred) - len(gold) > max_extra_words:
            continue
        n = len(gold)
        if any(pred[i : i + n] == gold for i in range(len(pred) - n + 1)):
            return True
    return False
