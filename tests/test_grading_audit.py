"""The grader against a human-labelled audit set of real SmolLM2-135M-Instruct completions.

``tests/data/grading_audit.jsonl``: 483 completions (20 greedy + 10 sampled at T=0.7 per template,
all 11 world_facts templates incl. forms never used for training: city_country, has_capital, region,
subregion, tld; then 10 greedy per ``passage_*`` template from the base and the trained default model, ids 323-382;
then 10 per default template sampled at the training temperature, T=0.3, as the rewards read them, from the base
model and the trained policy, ids 383-482), each labelled right/wrong by reading it; hard cases carry a ``reason``.
``tests/data/grading_audit_general.jsonl``: 15164 completions to general-knowledge questions (people, years,
counts, decimals, symbols, yes/no, dates, units, initials, fill-in-the-blank, definitions, regnal numbers, round
counts, commands and lower-case fragments, questions after a reading passage, word problems), labelled the same way.
"""

from __future__ import annotations

import json
from pathlib import Path

from calibmodule.answers import is_correct, normalize
from datamodules import world_facts

AUDIT = Path(__file__).parent / "data" / "grading_audit.jsonl"


def _rows() -> list[dict]:
    return [json.loads(line) for line in AUDIT.read_text(encoding="utf-8").splitlines() if line.strip()]


def _competitors() -> dict[str, frozenset[str]]:
    """As the datamodule builds them: every accepted answer of the same template."""
    pools: dict[str, set[str]] = {}
    for qs in world_facts.generate(list(world_facts.TEMPLATES)).values():
        for q in qs:
            pools.setdefault(q["template"], set()).update(normalize(a) for a in q["answers"])
    return {k: frozenset(v) for k, v in pools.items()}


def test_audit_set_covers_every_template_and_unseen_forms():
    rows = _rows()
    assert len(rows) >= 300
    templates = {r["template"] for r in rows}
    assert templates == set(world_facts.TEMPLATES)
    assert templates - set(world_facts.DEFAULT_TEMPLATES)  # forms the default training mix never sees
    assert sum(r["label"] for r in rows) >= 50  # enough right answers to measure false negatives


def _audit(name: str, rows: list[dict], verdicts: list[bool]) -> tuple[float, list[dict], list[dict]]:
    """Agreement with the labels, false positives and false negatives; printed with every disagreement."""
    fp = [r for r, v in zip(rows, verdicts) if v and not r["label"]]
    fn = [r for r, v in zip(rows, verdicts) if not v and r["label"]]
    n_right = sum(r["label"] for r in rows)
    agreement = 1 - (len(fp) + len(fn)) / len(rows)
    print(f"\n{name}: agreement {agreement:.3f} on {len(rows)}; false positives {len(fp)}/"
          f"{len(rows) - n_right} wrong answers, false negatives {len(fn)}/{n_right} right answers")
    for r in fp + fn:
        print(("FP" if r in fp else "FN"), r["id"], r["question"], "->", r["completion"])
    return agreement, fp, fn


def _current_answers() -> dict[tuple[str, str], list[str]]:
    """(template, question) -> the accepted answers the data gives today (aliases added since a row was
    labelled count: the audit checks data + grader, as training and evaluation use them)."""
    return {(q["template"], q["question"]): q["answers"]
            for qs in world_facts.generate(list(world_facts.TEMPLATES)).values() for q in qs}


def test_grader_agrees_with_human_labels():
    rows, comp, now = _rows(), _competitors(), _current_answers()
    verdicts = [is_correct(r["completion"], now.get((r["template"], r["question"]), r["answers"]), r["question"],
                           comp[r["template"]]) for r in rows]
    agreement, fp, fn = _audit("grading audit", rows, verdicts)
    n_right = sum(r["label"] for r in rows)
    assert agreement >= 0.97
    assert len(fp) / (len(rows) - n_right) <= 0.02  # crediting a wrong answer is the costlier error
    assert len(fn) / n_right <= 0.10


GENERAL = Path(__file__).parent / "data" / "grading_audit_general.jsonl"


def test_grader_on_general_knowledge_questions():
    """Question forms far from world facts: people, years, counts, decimals, chemistry, yes/no; then dates,
    units, signs, initials and abbreviations ("J.R.R. Tolkien", "December 25th", "9.81"); then people and
    places whose gold answer is the full name only ("Albert Einstein", "Pacific Ocean") and everyday things; then
    choices offered in the question ("Which is larger, the Sun or the Earth?"), quantities with units ("in
    kilometres per second") and languages / currencies (ids ``*-forms-*``), then a held-out check set of the
    same forms (``*-forms2-*``); then a second held-out set of new forms (``*-forms3-*``: fill-in-the-blank,
    "Name ...", "What do you call ...", acronyms, translations, word problems, grammar); then a third held-out set
    (``*-forms4-*``: regnal numbers, populations, arithmetic, symbols, currencies, landmarks); then ``*-forms5-*``
    (multiple choice with letter golds, true/false, fill-in, arithmetic, translations; labelled after grading);
    then ``*-forms6-*`` (sequences, "in words", Roman numerals, synonyms, anagrams, percentages, phrases to
    complete; labelled by reading, before the "in words" rule was written); then ``*-forms7-*`` (letters of the
    alphabet as answers, word forms, odd one out, rounding, binary, decimals; labelled before the letter rule); then
    ``*-forms8-*`` (units, word forms, Roman numerals, negative and half numbers; no rule written against it),
    ``*-forms8b-*`` (commands and lower-case fragments, "Q: ... A:", a few passages) and ``*-forms9-*``
    (questions after a reading passage; labelled before the passage rule was written); then ``*-passages-*``
    (``tests/data/unseen_passages.jsonl``, the passage in its own column; written after the rule); then
    ``*-forms10-*`` (word problems worked out step by step; labelled before the result rule); then ``*-forms11-*``
    (search-engine style: lower case, no question mark; no rule written against it); then ``*-forms12-*``
    (GSM8K-style word problems, written after the result rule); then ``*-forms13-*`` (questions in Spanish, French
    and German, accents, acronyms, formulas, zero counts, list answers; labelled before the list rule) and
    ``*-forms13b-*`` (list answers, names with "and", translations; written after it); then ``*-forms14-*`` (dates,
    "which of these", counts, brands, bands, science; labelled before the rule on a denied predicate); then
    ``*-forms15-*`` (world facts asked in forms no template has: "What is Peru's capital?", "Capital of Egypt?",
    currencies, languages, largest cities, "Is Morocco in Africa or Europe?"; labelled before the two choice rules);
    then ``*-forms16-*`` (trivia: centuries and decades, two-hop questions, fiction, "Who painted ...?"; labelled
    before the year and credit rules); then ``*-forms17-*`` (science multiple choice, yes/no after a passage,
    arithmetic, acronyms, plurals, translations, instructions in the question; labelled before two rules); then
    ``*-forms18-*`` (TriviaQA-style answer objects, aliases with a bracketed disambiguation); then ``*-forms19-*``
    (questions wrapped in requests, "who/where/when" questions, measurements; labelled before the date rule); then
    ``*-forms20-*`` (analogies, word forms, brands, abbreviations, small arithmetic, "the main ingredient"); then
    ``*-forms21-*`` (true/false, fill-in, "Answer in one word", fractions, signs, Roman numerals, chemical symbols),
    ``*-forms22-*`` ("Name one of ...", nationalities, "second largest", lower-case search queries) and
    ``*-forms23-*`` (few-shot "Q: ... A:" prompts, a story with earlier turns before the question, instruction
    wrappers, yes/no comparisons, five lettered choices; labelled before the comparison and passage-copy rules);
    then ``*-forms24-*`` (questions that ask which option is *not* something, phrase golds, sports, units) and
    ``*-forms25-*`` (Natural-Questions-style lower case, wars and titles, fiction, rivers, percentages,
    translations); then ``*-forms26-*`` (yes/no in many phrasings, comparisons among them, written after the
    comparison rule; acronyms, monarchs, food); then ``*-forms27-*`` (multiple choice in three layouts, as the
    ``choices`` loader and other files write it, and SimpleQA-style facts) and ``*-forms28-*`` (counts, dates,
    units, letters, small arithmetic, sequences); then ``*-forms29-*`` (SQuAD-style passages of three or four
    sentences given as a ``context`` column, two questions each; labelled before the passage-copy rule's
    thresholds were settled); then ``*-forms30-*`` (TriviaQA-style questions full of clues: "Which English king,
    who reigned from 1509 to 1547, had six wives?"); then ``*-choices-*`` (``tests/data/unseen_choices.jsonl``, ARC
    layout, as the ``choices`` loader words it; labelled after grading, with the "A:" answer-cue rule); then
    ``*-forms31-*`` (questions in Russian, Italian, Portuguese, Dutch, Polish, Turkish, German, Spanish, French);
    then ``*-forms32-*`` (TriviaQA-style clue questions with ``{"value", "aliases"}`` answer objects) and
    ``*-forms33-*`` (passages under seven labels: "Passage:", "Read the text and answer.", "Article: ... Q:", ...;
    labelled before the rule on phrases opened by another preposition); then ``*-forms34-*`` (PopQA-style entity
    facts, dates, MATH-style LaTeX golds: "\\frac{3}{4}", "180^\\circ"; labelled before the LaTeX, fraction-value and
    US-date rules); then ``*-forms35-*`` (EntityQuestions-style birthplaces, founders and headquarters, "When was ...?"
    with US dates, MATH-style LaTeX questions and golds; written after those rules); then ``*-forms36-*``
    (measurements, durations, times of day, money, with golds in several units; labelled before the "a day" and
    measurement-noun rules); then ``*-forms37-*`` (HotpotQA-style comparisons, "both"/"same" yes/no questions and
    two-hop bridge questions; labelled before the choice and correction rules); then ``*-forms38-*`` (comparisons in
    other phrasings, written after those rules; StrategyQA-style yes/no questions; WebQuestions-style lower case;
    labelled before the refusal rule); then ``*-forms39-*`` (SciQ-style science questions and "What is the term
    for ...?" definitions); then ``*-forms40-*`` (SQuAD-style encyclopedia passages in a ``context`` column, two
    questions each; labelled before the whole-copy and list-numbering rules); then ``*-forms41-*`` (one canonical
    gold each, as catalogues write them: "Apple Inc.", "RMS Titanic", "Portuguese language", "Tokyo, Japan", "French
    Republic"; labelled before the catalogue-name rule); then ``*-forms42-*`` (more catalogue golds, written after
    that rule: "Toyota Motor Corporation", "HMS Beagle", "Kingdom of Denmark", "United Mexican States", ...) and
    ``*-forms43-*`` (PopQA-style religions, genres, sports, occupations and official names, written after the rules
    for faiths by their followers, "association football", "rock music" and "City of Edinburgh"); then
    ``*-forms44-*`` (ranges "1914–1918", Wikidata times "+1879-03-14T00:00:00Z" and quantities "+8848.86", full names;
    written after the range and Wikidata-time rules, labelled before the rule that a date's year answers "when");
    then ``*-forms45-*`` (Natural-Questions-style lower-case questions with span golds: "the Treaty of Versailles",
    "about 8 minutes"; labelled before the rule that a gold's "about" need not be said); then ``*-forms46-*``
    ("Which country was X from?" and "What nationality was X?"; labelled before the hyphenated-nationality rule) and
    ``*-forms47-*`` (monarchs, popes, saints and gods: "Henry VIII", "Saint Peter", "King John", "Constantine the Great";
    labelled before the epithet, date-as-one-name and short-list rules); then ``*-forms48-*`` (centuries and decades,
    populations and distances given "about", BC/AD years) and ``*-forms49-*`` (counts, among them counts of none);
    then ``*-forms50-*`` to ``*-forms62-*`` (surname-first names, Unicode powers and formulas, counts and parts in
    words, cities by their own or older names and initials, other units and "bn", yes/no golds with reasons and golds
    with their own alternatives, sentence completions, "Think step by step", free-form definitions, which a
    lexical grader reads right only when most of their words are said, people, exact counts and years, questions with typos, and fiction, films and sport);
    then ``*-forms63-*`` to ``*-forms75-*`` (ordinals and named events, code and symbols, scientific notation and times
    of day, everyday nouns, verbs and adjectives, world facts in new forms, Jeopardy-style clues, compound country
    names, quotations, lines, slogans and titles, world facts asked in conversational and harness wrappers, and
    acronyms, plurals, translations, formulas, Roman numerals and letters, yes/no questions opening with "Did",
    "Was", "Has", "Does" and other auxiliaries, and world facts as counts and superlatives); then ``*-forms76-*`` and
    ``*-forms77-*`` (open questions with many right answers: "Name a Nordic country.", "Give an example of an insect.",
    "Can you name one of Jupiter's moons?") and ``*-forms78-*`` (capitals of states and provinces: "What is the capital of
    Oklahoma?", gold "Oklahoma City") and ``*-forms79-*`` (few-shot prompts: three worked "Q: ... A: ..." examples, then
    the question; some examples' answers are the question's rivals or its own answer) and ``*-forms80-*`` (family
    members whose names share the question's words: "Who was the mother of John F. Kennedy?", gold "Rose Kennedy") and
    ``*-forms81-*`` (rivers, mountains, lakes, deserts, straits and canals: "Mount Kilimanjaro", "the River Thames") and
    ``*-forms82-*`` (winners and hosts of cups, games, elections and prizes, with the year in the question) and
    ``*-forms83-*`` (TriviaQA-style quiz questions, long and full of names, golds given as ``{"value", "aliases"}``)
    and ``*-forms84-*`` (populations, sizes and counts, golds often "about ...") and ``*-forms85-*`` (what things are
    made of: "What is glass mainly made from?") and ``*-forms86-*`` (nicknames: "Which city is known as the Windy City?");
    then ``*-forms87-*`` to ``*-forms94-*`` (superlatives: "What is the largest mammal?"; firsts, inventors and
    discoverers; sports, companies and organisations; the human body and biology; rivers through cities and the places
    of landmarks; opposites, synonyms and word forms; composers, painters and writers; days, months and seasons), the
    trained model there being the twenty-ninth session's main-command run, labelled before the misspelt-name and
    quoted-negation rules; then ``*-forms95-*`` to ``*-forms98-*`` (where foods, dances and customs come from: "Which
    country does sushi come from?", labelled before the country-adjective rule; animals; space; myths and religions);
    ... then ``*-forms183-*`` (a value asked in a unit: "What is absolute zero in degrees Fahrenheit?", "How many feet
    are in a mile?") and ``*-forms184-*`` (titles of books, films, songs and paintings) and ``*-forms185-*`` (which country or continent a
    mountain, lake, river or desert is in) and ``*-forms186-*`` ("What type of animal is a frog?") and ``*-forms187-*`` ("Who was the first
    Prime Minister of India?"), the trained model there being
    the thirty-eighth session's main-command run (``docs/grading.md`` lists every batch).
    15164 real greedy completions (7582 questions, base and trained default model), each labelled by reading it."""
    rows = [json.loads(line) for line in GENERAL.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 15164 and any(set(r["answers"]) <= {"yes", "true", "no", "false"} for r in rows)
    agreement, _, _ = _audit("general-knowledge audit", rows,
                             [is_correct(r["completion"], r["answers"], r["question"]) for r in rows])
    assert agreement >= 0.95


# what a chat model writes around an answer, which must not change its verdict
_WRAPPINGS = {
    "bold": lambda c, q: f"**{c.strip()}**",
    "quoted": lambda c, q: f'"{c.strip()}"',
    "courtesy before": lambda c, q: "Sure! " + c,
    "courtesy after": lambda c, q: c.rstrip() + ("" if c.rstrip()[-1:] in ".!?" else ".") + " I hope this helps!",
    "disclaimer": lambda c, q: c.rstrip() + " (Note: as an AI, I can make mistakes.)",
    "disclaimer paragraph": lambda c, q: c.rstrip() + "\n\nPlease note that I am an AI language model and my answers "
                                                      "could contain errors.",
    "heading": lambda c, q: "### Answer\n" + c,
    "stated confidence": lambda c, q: c.rstrip() + "\nConfidence: 80%",
    "no-break spaces": lambda c, q: c.replace(" ", "\u00a0"),
    "question said back": lambda c, q: f"{q}\n{c}",
    "Q and A": lambda c, q: f"Q: {q}\nA: {c}",
    "discourse marker": lambda c, q: "Well, " + c,
    "thanks": lambda c, q: c.rstrip() + ("" if c.rstrip()[-1:] in ".!?" else ".") + " Thank you for asking!",
    "emoji": lambda c, q: c.rstrip() + ("" if c.rstrip()[-1:] in ".!?" else ".") + " \U0001F60A",
    "bullet": lambda c, q: "- " + c,
    "double spaces": lambda c, q: c.replace(" ", "  "),
    "tabs": lambda c, q: c.replace(" ", "\t"),
    "typographic apostrophes": lambda c, q: c.replace("'", "\u2019"),
    "final answer after it": lambda c, q: c.rstrip() + "\n\nFinal answer: " + c.strip(),
}


def _distinct_general_rows() -> list[dict]:
    rows, seen = [], set()
    for line in GENERAL.read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        if (key := (r["question"], r["completion"], json.dumps(r["answers"]))) not in seen:
            seen.add(key)
            rows.append(r)
    return rows


def test_wrapping_an_answer_keeps_its_verdict():
    """Every 10th distinct row of the general audit (about 1150 answers, every form there), wrapped as chat models
    wrap answers (markdown bold, quotes, "Sure!", "I hope this helps!", a first-person disclaimer, a heading, a stated
    confidence, no-break spaces, the question said back first, "Q: ... A: ..."; "Well, ...", "Thank you for asking!",
    an emoji, a bullet, runs of spaces or tabs, typographic apostrophes, the answer given again as a final answer after
    it): the verdict of each row the grader reads as labelled stays the same. A row whose answer opens with the
    model's own "A:" cue is not given a heading or a final answer ("### Answer\\nA: Africa" stacks two cues)."""
    changed = []
    for r in _distinct_general_rows()[::10]:
        if is_correct(r["completion"], r["answers"], r["question"]) is not r["label"]:
            continue
        for name, wrap in _WRAPPINGS.items():
            if name in ("heading", "final answer after it") and r["completion"].lstrip().startswith("A:"):
                continue
            if is_correct(wrap(r["completion"], r["question"]), r["answers"], r["question"]) is not r["label"]:
                changed.append((name, r["id"], r["completion"][:80]))
    assert not changed, changed


def test_a_question_and_its_answers_written_otherwise_keep_the_verdict():
    """The same sample, its question and accepted answers written as other files write them: an instruction after
    the question ("Answer briefly."), no-break spaces, accepted answers ending in a full stop, a "Question:" label or
    "Please answer the following question:" before it, typographic quotes, no question mark: no verdict changes."""
    changed = []
    for r in _distinct_general_rows()[::10]:
        if is_correct(r["completion"], r["answers"], r["question"]) is not r["label"]:
            continue
        q = r["question"].rstrip()
        for name, question, answers in [
                ("instruction", q + ("" if q[-1:] in "?.!" else "?") + " Answer briefly.", r["answers"]),
                ("no-break spaces", r["question"].replace(" ", "\u00a0"), r["answers"]),
                ("full stop", r["question"], [a + "." if isinstance(a, str) and a[-1:].isalnum() else a
                                              for a in r["answers"]]),
                ("question label", "Question: " + r["question"], r["answers"]),
                ("please", "Please answer the following question: " + r["question"], r["answers"]),
                ("typographic quotes", r["question"].replace("'", "\u2019"), r["answers"]),
                ("no question mark", q.rstrip("?"), r["answers"])]:
            if is_correct(r["completion"], answers, question) is not r["label"]:
                changed.append((name, r["id"], r["completion"][:80]))
    assert not changed, changed


# the rows whose answer, written all in capitals or all in lower case, is read otherwise: a rival named after "by" in
# a "Who painted ...?" answer ("painted by michelangelo") and a name misremembered after "was" ("was hoi anh minh")
# carry no capitals to be read as names by
_CASELESS_LEFT = {"base-forms2-11", "base-forms16-37", "base-forms59-3", "trained-forms135-12"}


def test_an_answer_in_capitals_or_lower_case_keeps_its_verdict():
    """The same sample, each answer written all in capitals and all in lower case (as some models and users write
    them): the verdict of each row the grader reads as labelled stays the same, but for the rows left above (with the
    thirty-ninth session's grader, which reads names only from capitals: 23 changes in the sample)."""
    changed = set()
    for r in _distinct_general_rows()[::10]:
        if is_correct(r["completion"], r["answers"], r["question"]) is not r["label"]:
            continue
        for write in (str.upper, str.lower):
            if is_correct(write(r["completion"]), r["answers"], r["question"]) is not r["label"]:
                changed.add(r["id"])
    assert changed <= _CASELESS_LEFT, sorted(changed - _CASELESS_LEFT)
