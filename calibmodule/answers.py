"""Grading: is a free-text answer right? The one function every reward, metric, report and
prediction uses (``is_correct``), plus the batch form (``grade_batch``).

Small instruct models answer in sentences that echo the question ("The capital of Norway is
Oslo."), hedge, or list guesses. The rule, after normalisation (case, accents, punctuation,
articles; number words -> digits, so "four" == "4"; "8,849" == "8849", "100.0" == "100", a decimal
point stays inside its number, so "3.14" does not contain "3"):

1. Some accepted alias must occur as a contiguous run of words in the answer. If the alias also
   occurs in the *question* ("Which country has Kuwait City as its capital?" / "Kuwait"), the
   answer must say it more often than the question did, or be exactly the alias, so an echo of
   the question is never read as the answer.
2. Words that only echo the question, and filler ("is", "located", "the answer is", ...), are
   not counted; at most ``max_extra_words`` other words may remain. A long ramble or a list of
   ten guesses is therefore wrong even if it contains the alias.
3. A *competitor* (an accepted answer of another question of the same kind, e.g. another
   capital) in the answer, outside the echoed question and the matched alias, makes it wrong:
   "Paris or Lyon" names two candidates and commits to neither.
4. A denied mention ("Saturn, not Jupiter", "it isn't in Norway") does not state the alias.
5. Yes/no questions (every accepted answer is yes/true or no/false, as booleans become): the
   answer's first yes/no word decides ("No, Lyon is not ..."); with none, an answer that restates
   the question's content ("Paris is the capital of France.") says yes.

>>> is_correct("The Paris.", ["Paris"])
True
>>> is_correct("The city of Oslo is located in Norway.", ["Norway"], "In which country is the city of Oslo?")
True
>>> is_correct("The answer is: Kuwait City.", ["Kuwait"], "Which country has Kuwait City as its capital?")
False
>>> is_correct("Paris or Lyon", ["Paris"], competitors={"paris", "lyon"})
False
>>> is_correct("four", ["4"])
True
>>> is_correct("The largest planet is Saturn, not Jupiter.", ["Jupiter"])
False
>>> is_correct("No, Lyon is not the capital.", ["false", "no"], "Is Lyon the capital of France?")
True
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Collection, Iterable, Sequence

_ARTICLES = {"a", "an", "the"}
# punctuation, except a decimal point inside a number ("3.14" stays one word)
_PUNCT = re.compile(f"(?!(?<=\\d)\\.(?=\\d))[{re.escape(string.punctuation)}“”‘’«»–—…]")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")  # "8,849" -> "8849"; "1,2,3" stays a list
_DECIMAL = re.compile(r"\b(\d+)\.(\d*?)0+\b")  # "100.0" -> "100", "3.140" -> "3.14"
_NUMBERS = {w: str(i) for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty".split())}
_NUMBERS.update({w: str(10 * i) for i, w in enumerate("thirty forty fifty sixty seventy eighty ninety".split(), 3)})
# words that carry no answer: copulas, prepositions, "the answer is", "located", hedges a sentence needs
FILLER = frozenset("""
is are was were be been it its it's this that these those there here which what who whom whose where when
of in on at to from for by with into within near and also as so called known named located situated found
answer answers question correct right i think believe my guess probably likely would say sure s m re ve d ll
country countries nation state city town capital region part area specifically officially
""".split())
MAX_EXTRA_WORDS = 4
# yes/no questions: an accepted "yes"/"true" (or "no"/"false") is judged by the answer's polarity
_YES, _NO = frozenset({"yes", "true", "correct", "yeah", "yep"}), frozenset({"no", "false", "incorrect", "nope"})
# a mention right after these (filler between allowed) is denied, not stated: "Saturn, not Jupiter"
# ("t": what "isn't" / "doesn't" leave after normalisation)
_NEGATION = frozenset({"not", "never", "t", "nor", "neither", "no"})
# a yes/no answer that commits to neither ("I don't know" is not a "no")
_UNDECIDED = re.compile(r"\b(?:(?:don t|do not|cannot|can t|couldn t) (?:know|say|tell|be sure)|not sure|no idea|unsure"
                        r"|uncertain|unclear|maybe|perhaps|it depends)\b")


def normalize(text: str) -> str:
    """Lower-case, strip accents and punctuation, drop articles, number words -> digits, collapse spaces.

    >>> normalize("  São   Tomé,  the Four! ")
    'sao tome 4'
    """
    text = unicodedata.normalize("NFKD", str(text))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _DECIMAL.sub(lambda m: f"{m[1]}.{m[2]}" if m[2] else m[1], _THOUSANDS.sub("", text))
    text = _PUNCT.sub(" ", text.lower())
    return " ".join(_NUMBERS.get(w, w) for w in text.split() if w not in _ARTICLES)


def _runs(words: Sequence[str], phrase: Sequence[str]) -> list[int]:
    """Start indices where ``phrase`` occurs in ``words`` (a final 's'/'es' plural also matches)."""
    n = len(phrase)
    out = []
    for i in range(len(words) - n + 1):
        w = words[i : i + n]
        if list(w[:-1]) == list(phrase[:-1]) and w[-1] in (phrase[-1], phrase[-1] + "s", phrase[-1] + "es"):
            out.append(i)
    return out


def _competitor_spans(words: Sequence[str], competitors: Collection[str], max_len: int = 6) -> list[range]:
    spans = []
    for n in range(1, max_len + 1):
        for i in range(len(words) - n + 1):
            if " ".join(words[i : i + n]) in competitors:
                spans.append(range(i, i + n))
    return spans


# where a sentence ends or a new clause begins: a right answer followed by commentary is still right
# (also an apposition: "..., a British physician who ...")
_CLAUSE = re.compile(r"(?<=[.!?;])\s+(?=\S)|,\s*(?=(?:and|but|which|while|where|although|though|so|who|whose"
                     r"|a|an|the|also)\b)"
                     r"|\s+and\s+(?=(?:is|it|was|has|are|its)\b)", re.IGNORECASE)


def _negated(words: Sequence[str], i: int) -> bool:
    """Is the mention starting at ``words[i]`` denied ("not Jupiter", "isn't in Norway")?"""
    j = i - 1
    while j >= 0 and words[j] in FILLER and words[j] not in _NEGATION:
        j -= 1
    return j >= 0 and words[j] in _NEGATION


def _clause_states(words: list[str], gold: list[str], q_words: list[str], echo: set[str], max_extra: int) -> bool:
    """Does this clause state ``gold``: present beyond the question's own mentions, with few extra words?"""
    hits = [i for i in _runs(words, gold) if not _negated(words, i)]
    if not hits or (words != gold and len(hits) <= len(_runs(q_words, gold))):
        return False
    covered = {j for i in hits for j in range(i, i + len(gold))}
    extra = [w for j, w in enumerate(words) if j not in covered and w not in echo]
    return len(extra) <= max_extra


def _weak(gold: list[str]) -> bool:
    """An alias made only of filler words ("is", "to": Iceland's and Tonga's TLDs without the dot)."""
    return all(w in FILLER for w in gold)


def _polarity(words: Sequence[str], q_words: Sequence[str], asks: bool) -> bool | None:
    """The answer to a yes/no question: its first yes/no word ("Yes, Paris is ...", "No.", "It is not"),
    else yes when it restates the question's content as a statement ("Paris is the capital of France.";
    ``asks``: the answer is itself a question, e.g. the question echoed back), else None (also for a hedge
    that commits to neither: "I don't know", "maybe")."""
    if _UNDECIDED.search(" ".join(words)):
        return None
    for w in words:
        if w in _YES:
            return True
        if w in _NO or w in _NEGATION:
            return False
    content = {w for w in q_words if w not in FILLER}
    if not asks and content and len(content & set(words)) * 2 >= len(content):
        return True
    return None


def is_correct(prediction: str | None, answers: Iterable, question: str | None = None,
               competitors: Collection[str] | None = None, max_extra_words: int = MAX_EXTRA_WORDS) -> bool:
    """True when ``prediction`` states one of ``answers`` (see the module docstring for the rule).

    Args:
        prediction: the model's answer text (None/empty: wrong).
        answers: accepted aliases (any JSON scalars; compared after ``normalize``).
        question: the question; its words are echo, not extra words, and an alias it already
            contains must be said again by the answer.
        competitors: *normalized* accepted answers of other questions of the same kind.
        max_extra_words: words beyond alias, echo and filler that one clause of the answer may carry.
    """
    if prediction is None:
        return False
    text = str(prediction)
    pred = normalize(text).split()
    if not pred:
        return False
    q_words = normalize(question).split() if question else []
    echo = set(q_words) | FILLER
    clauses = [w for w in (normalize(c).split() for c in _CLAUSE.split(text)) if w]
    norm_answers = {normalize(a) for a in answers}
    if norm_answers and norm_answers <= _YES | _NO:  # a yes/no question (also booleans: "true"/"false")
        said = _polarity(pred, q_words, asks=text.rstrip().endswith("?"))
        return said is not None and any((a in _YES) == said for a in norm_answers)
    raw = text.lower()
    golds, found = [], False
    for alias in answers:
        gold = normalize(alias).split()
        if not gold:
            continue
        golds.append(" ".join(gold))
        if _weak(gold):  # only the alias alone, or written as given (".is"), counts
            found = found or pred == gold or (not str(alias).isalpha() and re.search(
                rf"(?<![\w.]){re.escape(str(alias).lower())}(?!\w)", raw) is not None)
        else:
            found = found or any(_clause_states(c, gold, q_words, echo, max_extra_words) for c in clauses)
    if not found:
        return False
    if competitors:
        q_text = f" {' '.join(q_words)} "
        for span in _competitor_spans(pred, competitors):
            name = " ".join(pred[i] for i in span)
            if f" {name} " in q_text or any(f" {name} " in f" {g} " for g in golds):
                continue  # echoes the question, or is (part of) an accepted alias
            return False
    return True


def grade_batch(predictions: Sequence[str | None], batch: dict, n: int = 1) -> list[bool]:
    """``is_correct`` for each prediction; prediction ``k`` answers question ``k // n`` of ``batch``
    (``{"question", "answers", optional "competitors"}`` as built by ``datamodules.qa.collate``)."""
    comps = batch.get("competitors") or [None] * len(batch["question"])
    return [is_correct(p, batch["answers"][k // n], batch["question"][k // n], comps[k // n])
            for k, p in enumerate(predictions)]
