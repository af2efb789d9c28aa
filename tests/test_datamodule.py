import json

import pytest

from datamodules import world_facts
from datamodules.qa import DataError, QADataModule


def test_world_facts_has_thousands_of_questions_and_valid_answers():
    by_country = world_facts.generate()
    rows = [q for qs in by_country.values() for q in qs]
    assert len(by_country) > 240 and len(rows) > 2000
    assert all(r["answers"] and all(isinstance(a, str) and a for a in r["answers"]) for r in rows)
    assert {r["template"] for r in rows} == set(world_facts.TEMPLATES)


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
