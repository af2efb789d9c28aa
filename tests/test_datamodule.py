import json

import pytest

from datamodules import world_facts
from calibmodule.answers import is_correct
from datamodules.qa import DataError, QADataModule


def test_world_facts_has_thousands_of_questions_and_valid_answers():
    by_country = world_facts.generate(list(world_facts.TEMPLATES))
    rows = [q for qs in by_country.values() for q in qs]
    assert len(by_country) > 240 and len(rows) > 2500
    assert all(r["answers"] and all(isinstance(a, str) and a for a in r["answers"]) for r in rows)
    assert {r["template"] for r in rows} == set(world_facts.TEMPLATES)
    default = [q for qs in world_facts.generate().values() for q in qs]
    assert {r["template"] for r in default} == set(world_facts.DEFAULT_TEMPLATES)
    # the default mix is every question of its templates (5 templates since calling codes left it: 1396)
    assert len(default) == sum(r["template"] in world_facts.DEFAULT_TEMPLATES for r in rows) > 1300


def test_world_facts_same_question_accepts_every_records_answer():
    rows = [q for qs in world_facts.generate(["city_country"]).values() for q in qs]
    kingston = [r for r in rows if r["question"] == "In which country is the city of Kingston?"]
    assert len(kingston) == 2
    assert all({"Jamaica", "Norfolk Island"} <= set(r["answers"]) for r in kingston)


def test_world_facts_demonyms_accept_the_forms_in_current_use():
    """countryinfo's "Kirghiz" or "Laotian" alone would mark "Kyrgyz" and "Lao" wrong (read in a real rollout at
    the training temperature); the forms added are the demonym question's only, and any other country's demonym
    is still wrong."""
    from calibmodule.answers import is_correct, normalize

    g = world_facts.generate(["demonym", "capital"])
    assert set(world_facts.DEMONYM_ALIASES) <= set(g)  # every key names a record (a typo would do nothing)
    dem = {k: next(q for q in g[k] if q["template"] == "demonym") for k in ("Laos", "Kyrgyzstan", "Thailand")}
    rivals = frozenset(normalize(a) for qs in g.values() for q in qs if q["template"] == "demonym" for a in q["answers"])
    for name, said, ok in [("Laos", "Lao", True), ("Laos", "Laotian", True), ("Kyrgyzstan", "Kyrgyz", True),
                           ("Kyrgyzstan", "Kirghiz", True), ("Kyrgyzstan", "Kazakh", False), ("Thailand", "Lao", False),
                           ("Laos", "Thai", False)]:
        q = dem[name]
        assert is_correct(f"The demonym for people from {name} is {said}.", q["answers"], q["question"], rivals) is ok
    assert all("Lao" not in q["answers"] for q in g["Laos"] if q["template"] != "demonym")


def test_world_facts_capitals_accept_every_official_capital_and_current_name():
    """A country with several official capitals accepts each (South Africa: Cape Town, read in a real
    completion graded wrong), and a renamed capital its current name; only the capital questions change."""
    from calibmodule.answers import is_correct

    g = world_facts.generate(["capital", "capital_of"])
    assert set(world_facts.CAPITAL_ALIASES) <= set(g)  # every key names a record (a typo would do nothing)
    cap = {k: [q for q in g[k] if q["template"] == "capital"] for k in ("South Africa", "Kazakhstan")}
    assert len(cap["South Africa"]) == 2
    for q in cap["South Africa"]:
        assert {"Pretoria", "Cape Town", "Bloemfontein"} <= set(q["answers"])
        assert is_correct("The capital of South Africa is Cape Town.", q["answers"], q["question"])
        assert not is_correct("The capital of South Africa is Johannesburg.", q["answers"], q["question"])
    assert is_correct("Astana", cap["Kazakhstan"][0]["answers"], cap["Kazakhstan"][0]["question"])
    # the City of San Marino goes by the country's name: said again, it answers; the echo alone does not
    q = next(q for q in g["San Marino"] if q["template"] == "capital")
    assert is_correct("The capital of San Marino is San Marino.", q["answers"], q["question"])
    assert not is_correct("San Marino is a small country in Europe.", q["answers"], q["question"])
    assert [q["question"] for q in g["South Africa"] if q["template"] == "capital_of"] == \
        ["Pretoria is the capital of which country?"]


def test_world_facts_split_deterministic_and_disjoint_by_country():
    a = world_facts.split(None, seed=3, fractions=(0.7, 0.15, 0.15))
    b = world_facts.split(None, seed=3, fractions=(0.7, 0.15, 0.15))
    c = world_facts.split(None, seed=4, fractions=(0.7, 0.15, 0.15))
    assert a == b and a["val"] != c["val"]
    countries = {k: {r["id"].split("/")[0] for r in v} for k, v in a.items()}
    assert not countries["train"] & countries["val"] and not countries["train"] & countries["test"]
    assert not countries["val"] & countries["test"]


def test_world_facts_unknown_template():
    with pytest.raises(ValueError, match="nope"):
        world_facts.generate(["capital", "nope"])


def test_datamodule_world_facts_batches():
    dm = QADataModule(templates=["capital"], batch_size=4, max_val=10, max_test=10, seed=0)
    dm.setup()
    batch = next(iter(dm.train_dataloader()))
    assert len(batch["question"]) == 4 and all(isinstance(a, list) for a in batch["answers"])
    assert len(dm.splits["val"]) == 10
    assert all("capital" in q for q in batch["question"])


def _write_jsonl(path, rows):
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return str(path)


def test_local_jsonl_with_aliases(tmp_path):
    rows = [{"q": f"Question {i}?", "a": f"ans{i}", "alt": [f"alias{i}"]} for i in range(20)]
    dm = QADataModule(source=_write_jsonl(tmp_path / "d.jsonl", rows), question_column="q", answer_column="a",
                      aliases_column="alt", val_fraction=0.2, test_fraction=0.2, max_val=None, max_test=None)
    dm.setup()
    assert [len(dm.splits[k]) for k in ("train", "val", "test")] == [12, 4, 4]
    r = dm.splits["train"][0]
    assert len(r["answers"]) == 2 and r["answers"][1].startswith("alias")


def test_local_csv(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("question,answer\n" + "\n".join(f"Q{i}?,A{i}" for i in range(10)))
    dm = QADataModule(source=str(p), val_fraction=0.2, test_fraction=0.2)
    dm.setup()
    assert len(dm.splits["train"]) == 6


def test_csv_cell_holding_a_json_list_and_a_plural_answers_column(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text('question,answers\n"Capital of France?","[""Paris"", ""City of Paris""]"\n'
                 '"Two plus two?",4\n"Not a list?",[draft]\n')
    dm = QADataModule(source=str(p), eval_only=True)
    dm.setup("test")
    got = {r["question"]: r["answers"] for r in dm.splits["test"]}
    assert got == {"Capital of France?": ["Paris", "City of Paris"], "Two plus two?": ["4"],
                   "Not a list?": ["[draft]"]}


@pytest.mark.parametrize("rows,kwargs,match", [
    ([{"question": "Q?", "answer": "A"}], {"answer_column": "gold"}, r"answer_column='gold' is not a column"),
    ([{"question": "Q?", "answer": "A"}] * 3 + [{"question": "Q4?", "answer": ""}], {}, r"row 3 .*no answer"),
    ([{"question": "Q?", "answer": None}], {}, r"row 0 .*no answer"),
    ([{"question": "", "answer": "A"}], {}, r"row 0 has an empty or missing question"),
])
def test_bad_rows_and_columns_named(tmp_path, rows, kwargs, match):
    dm = QADataModule(source=_write_jsonl(tmp_path / "bad.jsonl", rows), **kwargs)
    with pytest.raises(DataError, match=match):
        dm.setup()


def test_missing_file_and_empty_split(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        QADataModule(source=str(tmp_path / "nope.jsonl")).setup()
    one = _write_jsonl(tmp_path / "one.jsonl", [{"question": "Q?", "answer": "A"}])
    with pytest.raises(DataError, match="split is empty"):
        QADataModule(source=one).setup()
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(DataError, match="empty.jsonl"):
        QADataModule(source=str(empty)).setup()


def test_eval_only_evaluates_every_row_of_a_file_without_caps(tmp_path):
    rows = [{"question": f"Q{i}?", "answer": f"A{i}"} for i in range(7)]
    dm = QADataModule(source=_write_jsonl(tmp_path / "eval.jsonl", rows), eval_only=True, max_test=2, max_val=2)
    dm.setup("test")
    assert sorted(r["question"] for r in dm.splits["test"]) == sorted(r["question"] for r in rows)
    assert len(next(iter(dm.test_dataloader()))["question"]) == 7
    assert "train" not in dm.splits


def test_world_facts_eval_only_covers_every_country():
    dm = QADataModule(templates=["city_country"], eval_only=True)
    dm.setup("test")
    assert len(dm.splits["test"]) > 240


@pytest.mark.parametrize("value,accepted", [
    (4, ["4"]), (3.0, ["3"]), (2.5, ["2.5"]), (True, ["true", "yes"]), (False, ["false", "no"]),
    ("Oslo", ["Oslo"]), ([1, "one"], ["1", "one"]),
    # answer objects as the common QA datasets ship them, read without a dotted column path
    ({"value": "Author 1", "aliases": ["Author 1", "A. 1"], "normalized_aliases": ["author 1"]}, ["Author 1", "A. 1"]),
    ({"text": ["Denver Broncos", "Broncos"], "answer_start": [177, 185]}, ["Denver Broncos", "Broncos"]),
    ([{"text": "1945"}, {"text": "in 1945"}], ["1945", "in 1945"]),
])
def test_answers_of_any_json_scalar_type(tmp_path, value, accepted):
    dm = QADataModule(source=_write_jsonl(tmp_path / "s.jsonl", [{"question": "Q?", "answer": value}]),
                      eval_only=True)
    dm.setup("test")
    assert dm.splits["test"][0]["answers"] == accepted


def test_nested_columns_like_trivia_qa(tmp_path):
    rows = [{"question": f"Who wrote book {i}?", "question_id": f"tc_{i}",
             "answer": {"value": f"Author {i}", "aliases": [f"Author {i}", f"A. {i}"], "normalized_aliases": []}}
            for i in range(10)]
    dm = QADataModule(source=_write_jsonl(tmp_path / "tqa.jsonl", rows), answer_column="answer.value",
                      aliases_column="answer.aliases", val_fraction=0.2, test_fraction=0.2)
    dm.setup()
    r = dm.splits["train"][0]
    assert r["answers"][0].startswith("Author") and r["answers"][1].startswith("A. ") and len(r["answers"]) == 2


def test_unlabelled_questions_are_accepted_by_predict_only(tmp_path):
    path = _write_jsonl(tmp_path / "qs.jsonl", [{"question": "What is the capital of Peru?"}, {"question": "Q2?"}])
    dm = QADataModule(source=path, eval_only=True)
    dm.setup("predict")
    batch = next(iter(dm.predict_dataloader()))
    assert batch["question"] == ["What is the capital of Peru?", "Q2?"] and batch["answers"] is None
    with pytest.raises(DataError, match="answer_column='answer' is not a column"):
        QADataModule(source=path, eval_only=True).setup("test")


def test_world_facts_rows_carry_kind_and_shared_competitors():
    dm = QADataModule(templates=["capital", "demonym"], max_val=20)
    dm.setup()
    batch = next(iter(dm.val_dataloader()))
    assert set(batch["kind"]) <= {"capital", "demonym"}
    k = batch["kind"].index("capital")
    assert "oslo" in batch["competitors"][k] and "norwegian" not in batch["competitors"][k]
    same = [c for c, kind in zip(batch["competitors"], batch["kind"]) if kind == "capital"]
    assert all(c is same[0] for c in same)  # one shared set per kind, not a copy per row
    for i, group in zip(batch["id"], batch["group"]):  # the group is the country: the report resamples by it
        assert i.startswith(group + "/")


def test_group_column_names_each_rows_group(tmp_path):
    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in [
        {"question": "Capital of Peru?", "answer": "Lima", "about": {"entity": "Peru"}},
        {"question": "Peru is in which continent?", "answer": "South America", "about": {"entity": "Peru"}},
        {"question": "What is 2+2?", "answer": 4, "about": {}}]))
    dm = QADataModule(source=str(p), eval_only=True, group_column="about.entity")
    dm.setup("test")
    batch = next(iter(dm.test_dataloader()))
    assert batch["group"] == ["Peru", "Peru", None]
    with pytest.raises(DataError, match=r"group_column='entity' is not a column"):
        QADataModule(source=str(p), eval_only=True, group_column="entity").setup("test")


def _split_of(dm) -> dict[str, list[dict]]:
    return {k: dm.splits[k] for k in ("train", "val", "test")}


def test_a_file_is_split_by_whole_groups_and_repeated_questions_stay_together(tmp_path):
    """A local file's split: one entity's questions (``group_column``) and every repeat of one question (case and
    spacing aside) land in one split, so a test question was never trained on; all rows are kept."""
    rows = [{"question": f"Capital of country {i}?", "answer": f"City {i}", "entity": f"country {i}"}
            for i in range(40)]
    rows += [{"question": f"Continent of country {i}?", "answer": "Asia", "entity": f"country {i}"} for i in range(40)]
    rows += [{"question": q, "answer": "4"} for q in ["What is 2+2?", "what is  2+2?", "WHAT IS 2+2?"] * 5]
    p = tmp_path / "g.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows))
    for seed in range(5):
        dm = QADataModule(source=str(p), group_column="entity", val_fraction=0.2, test_fraction=0.3, seed=seed,
                          max_val=None, max_test=None)
        dm.setup("fit")
        splits = _split_of(dm)
        assert sum(len(v) for v in splits.values()) == len(rows)
        where: dict = {}
        for name, part in splits.items():
            for r in part:
                key = r.get("group") or " ".join(r["question"].lower().split())
                assert where.setdefault(key, name) == name, f"{key!r} in {where[key]} and {name} (seed {seed})"
        assert len(splits["val"]) >= 19 and len(splits["test"]) >= 28 and splits["train"]


def test_a_file_of_distinct_questions_splits_as_a_seeded_shuffle(tmp_path):
    """Without groups or repeats the split is the seeded shuffle it always was (same seed, same questions)."""
    import random

    rows = [{"question": f"Q{i}?", "answer": str(i)} for i in range(50)]
    p = tmp_path / "d.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in rows))
    dm = QADataModule(source=str(p), val_fraction=0.2, test_fraction=0.2, seed=3)
    dm.setup("fit")
    order = [r["question"] for r in rows]
    random.Random(3).shuffle(order)
    assert [r["question"] for r in dm.splits["val"]] == order[:10]
    assert [r["question"] for r in dm.splits["test"]] == order[10:20]
    assert [r["question"] for r in dm.splits["train"]] == order[20:]


def test_group_batches_bring_a_groups_questions_together():
    """``group_batches``: a country's training questions come one after another (groups in a seeded order, another
    order each epoch), so most rows of a step are about a country not trained on before it; every question still
    comes once per epoch. Off, the order is the plain seeded shuffle it always was."""
    import torch

    from datamodules.qa import EpochSeededSampler

    groups = ["a", "b", "a", None, "c", "b", "a", None, "c"]
    s = EpochSeededSampler(len(groups), seed=3, groups=groups)
    orders = []
    for epoch in range(3):
        s.set_epoch(epoch)
        order = list(s)
        assert sorted(order) == list(range(len(groups)))
        runs = [groups[i] for i in order]
        for g in ("a", "b", "c"):  # contiguous
            first = runs.index(g)
            assert runs[first : first + runs.count(g)] == [g] * runs.count(g)
        orders.append(order)
    assert len({tuple(o) for o in orders}) > 1
    plain = EpochSeededSampler(len(groups), seed=3)
    assert list(plain) == torch.randperm(len(groups), generator=torch.Generator().manual_seed(3 * 100_003)).tolist()

    def new_share(group_batches: bool) -> float:
        dm = QADataModule(group_batches=group_batches)
        dm.setup("fit")
        seen, new, total = set(), 0, 0
        for step, batch in zip(range(30), dm.train_dataloader()):
            new += sum(g not in seen for g in batch["group"])
            total += len(batch["group"])
            seen |= set(batch["group"])
        return new / total

    assert new_share(True) >= 0.75 and new_share(False) <= 0.55  # measured: 0.80 and 0.45


def test_labelled_fraction_marks_a_fixed_seeded_share_of_training_questions():
    dm = QADataModule(labelled_fraction=0.5, max_train=40, batch_size=8, seed=3)
    dm.setup()
    flags = [r["labelled"] for r in dm.splits["train"]]
    assert sum(flags) == 20
    again = QADataModule(labelled_fraction=0.5, max_train=40, batch_size=8, seed=3)
    again.setup()
    assert [r["labelled"] for r in again.splits["train"]] == flags  # same seed, same questions
    assert all("labelled" not in r for k in ("val", "test") for r in dm.splits[k])  # eval is always labelled
    batch = next(iter(dm.train_dataloader()))
    assert len(batch["labelled"]) == 8 and batch["answers"] is not None
    full = QADataModule(max_train=40)
    full.setup()
    assert "labelled" not in next(iter(full.train_dataloader()))
    with pytest.raises(ValueError, match="data.labelled_fraction"):
        QADataModule(labelled_fraction=1.5)


TRIVIA = dict(source="tests/data/trivia_qa", subset="rc.nocontext", answer_column="answer.value",
              aliases_column="answer.aliases")


def test_trivia_qa_shaped_dataset_with_config_name_and_nested_answers():
    """The hub layout of trivia_qa/rc.nocontext, offline: a config name, nested answer.value/answer.aliases,
    and an unlabelled test split ('<unk>'), for which half of validation is held out as test."""
    dm = QADataModule(**TRIVIA, max_val=None, max_test=None)
    dm.setup()
    assert len(dm.splits["train"]) == 16 and len(dm.splits["val"]) + len(dm.splits["test"]) == 8
    mars = next(r for r in dm.splits["train"] if "Red Planet" in r["question"])
    assert mars["answers"] == ["Mars", "Planet Mars", "Red Planet"]
    assert all(r["answers"] and "<unk>" not in r["answers"] for k in ("val", "test") for r in dm.splits[k])
    assert {r["question"] for r in dm.splits["val"]}.isdisjoint(r["question"] for r in dm.splits["test"])
    dm = QADataModule(**TRIVIA, eval_only=True)
    dm.setup("predict")  # the unlabelled test split itself is fine for predict
    assert len(dm.splits["predict"]) == 4 and dm.splits["predict"][0]["answers"] == []


def test_demonym_accepts_both_ian_and_ean_spellings():
    rows = [r for split in world_facts.split(["demonym"], 0, (0.5, 0.25, 0.25)).values() for r in split]
    cape = next(r for r in rows if "Cape Verde" in r["question"])
    assert {"Cape Verdian", "Cape Verdean"} <= set(cape["answers"])


@pytest.mark.parametrize("n,world", [(5, 2), (8, 2), (401, 3), (7, 1), (2, 2)])
def test_eval_sampler_gives_every_question_once_and_ranks_equal_batches(n, world):
    """Under DDP each rank gets as many rows as the others (equal batch counts); the repeated rows come
    marked ``padding`` and drop_padding leaves every question exactly once across ranks."""
    from calibmodule.batch import drop_padding
    from datamodules.qa import EvalRows, EvalSampler, collate

    rows = [{"id": f"q{i}", "question": f"question {i}?", "answers": [str(i)]} for i in range(n)]
    seen, lengths = [], []
    for rank in range(world):
        s = EvalSampler(n)
        s.num_replicas, s.rank = world, rank
        idx = list(s)
        lengths.append(len(idx))
        assert len(idx) == len(s)
        batch = collate([EvalRows(rows)[i] for i in idx])
        kept = drop_padding(batch)
        seen += kept["id"] if kept is not None else []
    assert len(set(lengths)) == 1
    assert sorted(seen) == sorted(r["id"] for r in rows)  # each once


def test_eval_sampler_refuses_fewer_questions_than_processes(monkeypatch):
    import torch.distributed as dist

    from datamodules.qa import DataError, EvalSampler

    assert list(EvalSampler(0)) == []  # an empty split is left to the loops
    monkeypatch.setattr(dist, "is_initialized", lambda: True)
    monkeypatch.setattr(dist, "get_world_size", lambda *a: 2)
    monkeypatch.setattr(dist, "get_rank", lambda *a: 0)
    with pytest.raises(DataError, match="test split has 1 question.*2 processes.*devices=1"):
        EvalSampler(1, "test")
    assert len(EvalSampler(2, "test")) == 1


def test_shipped_general_knowledge_file_loads_whole():
    """tests/data/general_knowledge.jsonl (the README's far-from-training example): every row, answers of
    every JSON type (int, float, bool, string, list) read as accepted strings."""
    from pathlib import Path

    src = Path(__file__).parent / "data" / "general_knowledge.jsonl"
    dm = QADataModule(source=str(src), eval_only=True)
    dm.setup("test")
    rows = dm.splits["test"]
    assert len(rows) == 40
    by_q = {r["question"]: r["answers"] for r in rows}
    assert by_q["How many legs does a spider have?"] == ["8"]
    assert by_q["What is the boiling point of water in degrees Celsius?"] == ["100"]  # 100.0
    assert by_q["What is the value of pi to two decimal places?"] == ["3.14"]
    assert by_q["Is the Moon a planet?"] == ["false", "no"]
    assert by_q["Who discovered penicillin?"] == ["Alexander Fleming", "Fleming"]


def test_world_facts_borders_are_shared():
    """A border counts for both countries: countryinfo lists some one way only (Sudan lists Chad; Chad lists
    South Sudan instead), so a right "Sudan" for Chad was graded wrong."""
    from datamodules import world_facts

    nb = {c: set(q["answers"]) for c, qs in world_facts.generate(["neighbour"]).items() for q in qs}
    assert "Sudan" in nb["Chad"] and "Nepal" in nb["China"]
    one_way = [(a, b) for a, s in nb.items() for b in s if b in nb and a not in nb[b]]
    assert len(one_way) <= 4, one_way  # Palestine (no ISO code to list it by), the Holy See (two records)


def test_tab_separated_file(tmp_path):
    p = tmp_path / "qa.tsv"
    p.write_text("question\tanswer\nWhat is the capital of Norway, in Europe?\tOslo\nWhich continent is Kenya in?\tAfrica\n")
    dm = QADataModule(source=str(p), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [
        ("What is the capital of Norway, in Europe?", ["Oslo"]), ("Which continent is Kenya in?", ["Africa"])]


@pytest.mark.parametrize("name", ["qa.jsonl.gz", "qa.csv.gz"])
def test_gzipped_file_is_read_as_its_inner_format(tmp_path, name):
    import gzip

    rows = [{"question": "What is the capital of Norway?", "answer": "Oslo"}, {"question": "What is 2+2?", "answer": 4}]
    text = ("".join(json.dumps(r) + "\n" for r in rows) if name.startswith("qa.jsonl")
            else "question,answer\n" + "".join(f"{r['question']},{r['answer']}\n" for r in rows))
    with gzip.open(tmp_path / name, "wt", encoding="utf-8") as f:
        f.write(text)
    dm = QADataModule(source=str(tmp_path / name), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [
        ("What is the capital of Norway?", ["Oslo"]), ("What is 2+2?", ["4"])]


def test_json_file_holding_one_object(tmp_path):
    """A .json whose top level is one object: TriviaQA's own file ({"Data": [...]}, capitalised answer fields),
    columns of equal length, one plain record; an object with no record list names its keys."""
    tqa = tmp_path / "tqa.json"
    tqa.write_text(json.dumps({"Version": 1.0, "Data": [
        {"Question": "Which king had six wives?", "Answer": {"Value": "Henry VIII", "Aliases": ["Henry the Eighth"],
                                                             "NormalizedValue": "henry viii"}},
        {"Question": "What is 2+2?", "Answer": {"Value": 4}}]}))
    dm = QADataModule(source=str(tqa), eval_only=True, question_column="Question", answer_column="Answer")
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [
        ("Which king had six wives?", ["Henry VIII", "Henry the Eighth"]), ("What is 2+2?", ["4"])]

    cols = tmp_path / "cols.json"
    cols.write_text(json.dumps({"question": ["Q1?", "Q2?"], "answer": ["A", 2]}))
    dm = QADataModule(source=str(cols), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [("Q1?", ["A"]), ("Q2?", ["2"])]

    one = tmp_path / "one.json"
    one.write_text(json.dumps({"question": "Q?", "answer": "A"}))
    dm = QADataModule(source=str(one), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [("Q?", ["A"])]

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"meta": 1, "name": "x"}))
    with pytest.raises(DataError, match=r"bad\.json: the file is one JSON object with keys \['meta', 'name'\]"):
        QADataModule(source=str(bad), eval_only=True).setup("test")


def test_json_files_as_editors_and_exporters_write_them(tmp_path):
    """A UTF-8 byte-order mark (Windows editors, PowerShell), CRLF line ends and blank lines; JSON lines saved
    under a .json name (as many exported datasets are); records that do not all have the same fields."""
    rows = [{"question": "What is 2+2?", "answer": 4}, {"question": "Capital of France?", "answer": ["Paris"]},
            {"question": "Is water wet?", "answer": True, "aliases": ["yes indeed"]}]
    want = [("What is 2+2?", ["4"]), ("Capital of France?", ["Paris"]), ("Is water wet?", ["true", "yes"])]
    files = {"bom.jsonl": "\ufeff" + "\r\n\r\n".join(json.dumps(r) for r in rows) + "\r\n",
             "lines.json": "\n".join(json.dumps(r) for r in rows) + "\n",
             "bom_lines.json": "\ufeff" + "\n".join(json.dumps(r) for r in rows),
             "bom_list.json": "\ufeff" + json.dumps(rows)}
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8", newline="")
        dm = QADataModule(source=str(tmp_path / name), eval_only=True)
        dm.setup("test")
        assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == want, name
    dm = QADataModule(source=str(tmp_path / "bom_list.json"), eval_only=True, aliases_column="aliases")
    dm.setup("test")  # "aliases" is a field of the last record only
    assert dm.splits["test"][2]["answers"] == ["true", "yes", "yes indeed"]


@pytest.mark.parametrize("name,n,kwargs", [("unseen_forms.jsonl", 40, {}), ("unseen_forms_b.jsonl", 50, {}),
                                           ("unseen_forms_c.jsonl", 40, {}), ("unseen_catalogue.jsonl", 80, {}),
                                           ("unseen_passages.jsonl", 40, {"context_column": "context"})])
def test_shipped_unseen_form_files_load_whole_and_match_the_audit(name, n, kwargs):
    """The unseen-form files the README evaluates on load whole, and each question's accepted answers are the ones
    audit rows of its batch were graded with (the audit and the evaluation read the same gold)."""
    from pathlib import Path

    data = Path(__file__).parent / "data"
    dm = QADataModule(source=str(data / name), eval_only=True, **kwargs)
    dm.setup("test")
    rows = dm.splits["test"]
    assert len(rows) == n
    audit: dict[str, list] = {}  # a question asked in several batches may carry other golds there
    for line in (data / "grading_audit_general.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        audit.setdefault(r["question"], []).append(r["answers"])
    assert all(r["answers"] in audit.get(r["question"], []) for r in rows)


def test_default_column_names_in_another_case(tmp_path):
    p = tmp_path / "caps.jsonl"
    p.write_text(json.dumps({"Question": "Q?", "Answer": "A"}) + "\n")
    dm = QADataModule(source=str(p), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [("Q?", ["A"])]
    both = tmp_path / "both.jsonl"  # two columns fit: no guess, the error lists the columns
    both.write_text(json.dumps({"Question": "Q?", "Answer": "A", "answers": "B"}) + "\n")
    dm = QADataModule(source=str(both), eval_only=True)
    with pytest.raises(DataError, match=r"answer_column='answer' is not a column"):
        dm.setup("test")


@pytest.mark.parametrize("row", [
    {"input": "Q?", "output": "A"},  # LM-Polygraph's datasets
    {"problem": "Q?", "correct_answer": "A", "support": "a passage"},  # MATH's question name, SciQ's answer name
    {"Input": "Q?", "Target": "A"},
])
def test_the_default_columns_other_common_names(row, tmp_path):
    dm = QADataModule(source=_write_jsonl(tmp_path / "d.jsonl", [row]), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [("Q?", ["A"])]


def test_the_other_names_are_no_guess_when_two_fit(tmp_path):
    p = _write_jsonl(tmp_path / "two.jsonl", [{"input": "Q?", "prompt": "P?", "answer": "A"}])
    with pytest.raises(DataError, match=r"question_column='question' is not a column; columns are"):
        QADataModule(source=p, eval_only=True).setup("test")


def test_json_columns_with_capitalised_names(tmp_path):
    p = tmp_path / "cols.json"
    p.write_text(json.dumps({"Question": ["Q1?", "Q2?"], "Answer": ["A", "B"]}))
    dm = QADataModule(source=str(p), eval_only=True)
    dm.setup("test")
    assert [(r["question"], r["answers"]) for r in dm.splits["test"]] == [("Q1?", ["A"]), ("Q2?", ["B"])]


def test_a_passage_column_is_asked_before_the_question_and_keeps_its_questions_together(tmp_path, capsys):
    """SQuAD-shaped rows: ``context_column`` puts the passage before the question, the grader reads the question
    after it (an answer taken from the passage is right), and a passage's questions land in one split."""
    rows = []
    for i in range(30):
        passage = f"Person {i} was born in City {i} and later moved to Town {i}."
        rows += [{"context": passage, "question": f"Where was person {i} born?", "answers": {"text": [f"City {i}"]}},
                 {"context": passage, "question": f"Where did person {i} move?", "answers": {"text": [f"Town {i}"]}}]
    p = _write_jsonl(tmp_path / "squad.jsonl", rows)
    dm = QADataModule(source=p, context_column="context", val_fraction=0.2, test_fraction=0.3, max_val=None,
                      max_test=None)
    dm.setup("fit")
    splits = _split_of(dm)
    where = {}
    for name, part in splits.items():
        for r in part:
            assert r["question"].startswith("Context: Person ") and "\nQuestion: Where " in r["question"]
            assert where.setdefault(r["group"], name) == name
    assert sum(len(v) for v in splits.values()) == 60 and len(where) == 30
    r = next(r for r in splits["test"] if "born" in r["question"])
    n = r["answers"][0].split()[-1]
    assert is_correct(f"Person {n} was born in City {n}.", r["answers"], r["question"])
    assert not is_correct(f"Person {n} was born in Town {n}.", r["answers"], r["question"])
    # a passage column left unused is pointed out once; used, it is not
    capsys.readouterr()
    QADataModule(source=p, eval_only=True).setup("test")
    assert "column 'context' looks like a passage" in capsys.readouterr().err
    dm.splits = {}
    dm.setup("fit")
    assert "looks like a passage" not in capsys.readouterr().err
    # a passage that is not text, and a column that is not there, are named
    with pytest.raises(DataError, match=r"row 0: the passage in column 'context' is int"):
        QADataModule(source=_write_jsonl(tmp_path / "bad.jsonl", [{"context": 5, "question": "Q?", "answer": "A"}]),
                     context_column="context", eval_only=True).setup("test")
    with pytest.raises(DataError, match=r"context_column='story' is not a column"):
        QADataModule(source=p, context_column="story", eval_only=True).setup("test")


def test_world_facts_passage_templates_state_the_asked_fact_for_half_the_countries():
    """``passage_*``: a two-sentence passage about the country, then the question; the passage holds the answer
    for about half of the countries (fixed by name) and two other facts for the rest; an answer read off the
    passage grades right."""
    from calibmodule.answers import normalize

    qs = [q for v in world_facts.generate(["passage_capital", "passage_continent", "passage_demonym"]).values()
          for q in v]
    assert len(qs) > 600
    for t in ("passage_capital", "passage_continent", "passage_demonym"):
        mine = [q for q in qs if q["template"] == t]
        passages = [normalize(q["question"].split("\nQuestion: ")[0]) for q in mine]
        holds = [any(f" {normalize(a)} " in f" {p} " for a in q["answers"]) for q, p in zip(mine, passages)]
        assert 0.35 < sum(holds) / len(mine) < 0.65, t
        assert all(q["question"].startswith("Context: ") and q["country"] in q["question"] for q in mine)
    q = next(q for q in qs if q["template"] == "passage_capital" and q["country"] == "Afghanistan")
    assert "The capital of Afghanistan is Kabul." in q["question"]
    assert is_correct("The capital of Afghanistan is Kabul.", q["answers"], q["question"])
    assert not is_correct("Afghanistan lies in Asia.", q["answers"], q["question"])


def test_a_worked_solution_ending_on_a_final_answer_line_gives_that_answer(tmp_path):
    """GSM8K ships each answer as a worked solution ending "#### 72": the gold is 72, and an answer worked out to
    it grades right, one whose arithmetic ends elsewhere wrong."""
    q = "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. How many " \
        "clips did Natalia sell altogether in April and May?"
    solution = "Natalia sold 48/2 = 24 clips in May.\nNatalia sold 48+24 = 72 clips altogether in April and May.\n#### 72"
    p = _write_jsonl(tmp_path / "gsm8k.jsonl", [{"question": q, "answer": solution}])
    dm = QADataModule(source=p, eval_only=True)
    dm.setup("test")
    row = dm.splits["test"][0]
    assert row["answers"] == ["72"]
    assert is_correct("She sold 48 / 2 = 24 in May, so 48 + 24 = 72 clips in all.", row["answers"], row["question"])
    assert not is_correct("She sold 48 + 24 = 72 clips, then 72 * 2 = 144 clips.", row["answers"], row["question"])


def _mc_rows(dm):
    dm.setup("test")
    return [(r["question"], r["answers"]) for r in dm.splits["test"]]


def test_multiple_choice_layouts_list_their_options_and_accept_the_label_and_text(tmp_path):
    """MMLU (a list of texts, an index), ARC on the hub (``{"text", "label"}``, ``answerKey``, labels "1".."4"
    given as letters) and CommonsenseQA's own files (options nested under the question): the options follow the
    question on its line, and the gold is the picked option's label and text, which the grader reads."""
    mmlu = _write_jsonl(tmp_path / "mmlu.jsonl", [
        {"question": "Which of these is a noble gas?", "choices": ["Oxygen", "Neon", "Iron"], "answer": 1},
        {"question": "What is 7 times 8?", "choices": ["54", "56", "64"], "answer": "56"}])  # the text, not an index
    assert _mc_rows(QADataModule(source=mmlu, eval_only=True)) == [
        ("Which of these is a noble gas? (A) Oxygen (B) Neon (C) Iron", ["B", "Neon"]),
        ("What is 7 times 8? (A) 54 (B) 56 (C) 64", ["B", "56"])]
    arc = _write_jsonl(tmp_path / "arc.jsonl", [
        {"question": "What do plants need?", "choices": {"text": ["sunlight", "salt"], "label": ["1", "2"]},
         "answerKey": "2"}])
    (q, gold), = _mc_rows(QADataModule(source=arc, eval_only=True))
    assert (q, gold) == ("What do plants need? (A) sunlight (B) salt", ["B", "salt"])
    assert is_correct("B", gold, q) and is_correct("The answer is salt.", gold, q)
    assert not is_correct("(A) sunlight", gold, q) and not is_correct("sunlight", gold, q)
    csqa = _write_jsonl(tmp_path / "csqa.jsonl", [
        {"answerKey": "A", "question": {"stem": "Where do plates go?",
                                        "choices": [{"label": "A", "text": "cupboard"}, {"label": "B", "text": "oven"}]}}])
    assert _mc_rows(QADataModule(source=csqa, question_column="question.stem", choices_column="question.choices",
                                 eval_only=True)) == [("Where do plates go? (A) cupboard (B) oven", ["A", "cupboard"])]


@pytest.mark.parametrize("row,needle", [
    ({"question": "Q?", "choices": ["x", "y"], "answer": 5},
     r"row 0 \('Q\?'\): the options in column 'choices' do not hold the answer \['5'\]"),
    ({"question": "Q?", "choices": ["x", "y"], "answer": "z"},
     r"do not hold the answer \['z'\]: it is no option's index, label or text"),
    ({"question": "Q?", "choices": ["x"], "answer": 0}, r"row 0 \('Q\?'\): the options in column 'choices' are \['x'\]"),
    ({"question": "Q?", "choices": "x or y", "answer": "x"}, r"the options in column 'choices' are 'x or y'"),
    ({"question": "Q?", "choices": {"text": ["x", "y"], "label": ["A"]}, "answer": "A"}, r"expected at least two options"),
])
def test_bad_multiple_choice_rows_are_named(row, needle, tmp_path):
    with pytest.raises(DataError, match=needle):
        QADataModule(source=_write_jsonl(tmp_path / "mc.jsonl", [row]), eval_only=True).setup("test")


def test_the_shipped_multiple_choice_file_loads_whole_with_letter_and_text_golds():
    from pathlib import Path

    dm = QADataModule(source=str(Path(__file__).parent / "data" / "unseen_choices.jsonl"), eval_only=True)
    dm.setup("test")
    rows = dm.splits["test"]
    assert len(rows) == 40
    for r in rows:  # ARC layout: the options after the question; gold = the answerKey's letter and text
        letter, text = r["answers"]
        assert f" ({letter}) {text}" in r["question"] and r["question"].count("(") == 4 and "\n" not in r["question"]
