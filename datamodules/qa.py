"""QADataModule: question/answer(+aliases) data for every calibmodule method.

Sources:
* ``source: world_facts`` — the built-in generator (``datamodules/world_facts.py``);
* a local ``.json``/``.jsonl``/``.csv``/``.tsv``/``.parquet`` file, or one of them gzipped (``.jsonl.gz``; split
  into train/val/test by seed), or a
  directory / hub dataset name loaded with ``datasets.load_dataset`` (its own splits are used).

Batches are plain python: ``{"id": [str], "question": [str], "answers": [[str]]}``; tokenisation
and prompting belong to the LightningModule, so one datamodule serves every method.
"""

from __future__ import annotations

import codecs
import json
import math
import os
import random
import re
import sys
from pathlib import Path

import lightning as L
import torch
from torch.utils.data import DataLoader, DistributedSampler

from calibmodule.answers import normalize
from datamodules import world_facts

_LOCAL_FORMATS = {".json": "json", ".jsonl": "json", ".csv": "csv", ".tsv": "csv", ".parquet": "parquet"}


_DATASET_METADATA = {"dataset_info.json", "dataset_infos.json", "state.json", "dataset_dict.json"}  # not data files

UNKNOWN_ANSWER = "<unk>"  # TriviaQA's answer.value in its unlabelled test split: no answer


class DataError(ValueError):
    """Bad QA data; the message names the file, column or row."""


def collate(rows: list[dict]) -> dict[str, list]:
    """Rows -> a batch of lists. ``answers`` is None for a batch of unlabelled questions (predict);
    ``competitors`` are shared references to one frozenset per kind (no copies)."""
    batch = {"id": [r["id"] for r in rows], "question": [r["question"] for r in rows],
             "answers": [r["answers"] for r in rows] if all(r.get("answers") for r in rows) else None,
             "kind": [r.get("kind") for r in rows], "group": [r.get("group") for r in rows]}
    if any("labelled" in r for r in rows):  # training rows under labelled_fraction < 1
        batch["labelled"] = [r.get("labelled", True) for r in rows]
    if any(r.get("competitors") for r in rows):
        batch["competitors"] = [r.get("competitors") for r in rows]
    if any(r.get("padding") for r in rows):  # EvalSampler's repeats under DDP (calibmodule.batch.drop_padding)
        batch["padding"] = [bool(r.get("padding")) for r in rows]
    return batch


def _get(row, path: str):
    """``row["a"]["b"]`` for the dotted column path ``a.b`` (TriviaQA's ``answer.value``)."""
    value = row
    for part in path.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


# the fields of an answer object read as accepted answers, in this order (TriviaQA: value + aliases; SQuAD: text)
_ANSWER_FIELDS = ("value", "text", "answer", "answers", "aliases")


_FINAL_ANSWER = re.compile(r"(?:^|\n)\s*####\s*(\S.*?)\s*$", re.DOTALL)


def _answer_strings(value) -> list[str]:
    """Accepted answers from any JSON scalar or list of them: strings, ints, floats (3.0 -> "3"),
    booleans (True -> "true"/"yes"), or an answer object holding them in ``_ANSWER_FIELDS`` (TriviaQA's
    ``{"value": ..., "aliases": [...]}``, SQuAD's ``{"text": [...], "answer_start": [...]}``); a worked solution
    that ends on a "#### <answer>" line (GSM8K's) gives that answer. NaN (a CSV's
    empty numeric cell) is no answer; any other object or an infinite number raises ``ValueError``."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _answer_strings(v)]
    if isinstance(value, dict):  # TriviaQA's {"value", "aliases", ...}, SQuAD's {"text": [...], "answer_start": [...]}
        lower = {str(k).lower(): k for k in value}  # TriviaQA's own JSON writes "Value", "Aliases"
        known = [lower[k] for k in _ANSWER_FIELDS if k in lower]
        if not known:
            raise ValueError(f"is an object ({str(value)[:60]}) with none of the answer fields {list(_ANSWER_FIELDS)}: "
                             f"name a field inside it with a dotted column path (e.g. answer_column: answer.value)")
        return list(dict.fromkeys(s for k in known for s in _answer_strings(value[k])))
    if isinstance(value, bool):
        return ["true", "yes"] if value else ["false", "no"]
    if isinstance(value, float):
        if math.isnan(value):
            return []
        if math.isinf(value):
            raise ValueError(f"is {value}, not an answer")
        return [str(int(value))] if value.is_integer() else [repr(value)]
    text = str(value).strip()
    if (final := _FINAL_ANSWER.search(text)) is not None:  # GSM8K's worked solution ending "#### 72": the answer is 72
        text = final[1].strip()
    if text.startswith("[") and text.endswith("]"):  # a list written into a CSV cell: '["Paris", "City of Paris"]'
        try:
            items = json.loads(text)
        except json.JSONDecodeError:
            items = None
        if isinstance(items, list):
            return _answer_strings(items)
    return [text] if text and text != UNKNOWN_ANSWER else []


class _RepeatedField(ValueError):
    """A JSON object that names one field twice (Python's reader keeps the last value without a word)."""


def _unique_fields(pairs: list[tuple]) -> dict:
    """``object_pairs_hook`` for ``json.loads``: the object, or :class:`_RepeatedField` naming a field given twice."""
    obj = dict(pairs)
    if len(obj) < len(pairs):
        seen = set()
        raise _RepeatedField(next(k for k, _ in pairs if k in seen or seen.add(k)))
    return obj


def _bad_json_line(path: Path) -> str | None:
    """'line N is not a JSON object: ...' for the first bad line of a JSON-lines file, else None."""
    with open(path, encoding="utf-8-sig", errors="replace") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line, object_pairs_hook=_unique_fields)
            except json.JSONDecodeError as e:
                return f"line {n}, column {e.colno} is not valid JSON ({e.msg}): {line.strip()[:80]!r}"
            except _RepeatedField as e:
                return f"line {n} gives the field {e.args[0]!r} twice: {line.strip()[:80]!r}"
            if not isinstance(obj, dict):
                return f"line {n} is a JSON {type(obj).__name__}, not an object with named fields: {line.strip()[:80]!r}"
    return None


def _not_utf8(path: Path, chunk: int = 1 << 24) -> str | None:
    """'line N, byte 0xXX at column C' where a text file first stops being UTF-8 (a file saved as Latin-1 or
    cp1252, say), else None. Decoded in 16 MB chunks; only a file that fails is read again line by line for the
    place (a multi-byte character never spans a newline)."""
    dec = codecs.getincrementaldecoder("utf-8")()
    try:
        with open(path, "rb") as f:
            while block := f.read(chunk):
                dec.decode(block)
        dec.decode(b"", final=True)
        return None
    except UnicodeDecodeError:
        pass
    with open(path, "rb") as f:
        for n, line in enumerate(f, 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as e:
                return f"line {n}, byte 0x{line[e.start]:02x} at column {e.start + 1}"
    return None


def _ragged_csv_row(path: Path, sep: str) -> str | None:
    """'line N has K fields, the header has H: ...' for the first row of a CSV/TSV file with more fields than its
    header (an unquoted separator inside a question, a stray extra column), else None. Without this check a file
    whose rows all have one field more is read with the first field as the row's index, so every column shifts by
    one without a word, and a file with some such rows fails deep inside the reader. A row with fewer fields is
    read with the missing ones empty (the row checks then name it if it lacks its question or answer)."""
    import csv

    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f, delimiter=sep)
        header = next(reader, None)
        if header is None:
            return None
        rows = 0
        for row in reader:
            if len(row) > len(header):
                shown = sep.join(row)
                return (f"line {reader.line_num} has {len(row)} fields, the header has {len(header)} "
                        f"({sep.join(header)[:80]!r}): {shown[:80]!r}; quote a field that holds {sep!r}")
            rows += any(field.strip() for field in row)
    if not rows:
        return f"the file has a header line ({sep.join(header)[:80]!r}) and no rows"
    return None


def _innermost(e: BaseException) -> str:
    """'Type: message' of the exception at the bottom of ``e``'s ``raise ... from`` chain: ``datasets`` wraps
    what the reader said ("JSON parse error: Number too big to be stored in double. in row 0") in "An error
    occurred while generating the dataset"."""
    seen = {id(e)}
    while (inner := e.__cause__) is not None and id(inner) not in seen:
        seen.add(id(inner))
        e = inner
    return f"{e.__class__.__name__}: {e}"


def _gunzipped(path: Path) -> Path:
    """A ``.jsonl.gz``/``.csv.gz``/... file decompressed once into the temp folder (named by the file's path,
    size and time, so a changed file is decompressed again); read as the inner format."""
    import gzip
    import hashlib
    import shutil
    import tempfile

    st = path.stat()
    key = hashlib.sha1(f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}".encode()).hexdigest()[:16]
    out = Path(tempfile.gettempdir()) / f"calibmodule-gunzip-{key}" / path.stem
    if not out.is_file():
        out.parent.mkdir(parents=True, exist_ok=True)
        part = out.with_name(out.name + f".part{os.getpid()}")
        try:
            with gzip.open(path, "rb") as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst)
        except (OSError, EOFError) as e:
            part.unlink(missing_ok=True)
            raise DataError(f"data file {str(path)!r} could not be decompressed: {e}") from None
        os.replace(part, out)
    return out


def _blank_file(path: Path) -> bool:
    """Nothing but whitespace (and a byte-order mark) in the file."""
    with open(path, "rb") as f:
        while chunk := f.read(1 << 16):
            if chunk.strip(b"\xef\xbb\xbf \t\r\n"):
                return False
    return True


def _own_json_records(path: Path, source: str) -> list[dict] | None:
    """The records of a JSON file read here rather than by ``datasets``: a ``.jsonl`` file saved with a UTF-8
    byte-order mark (Windows editors and PowerShell write one; the ``datasets`` reader rejects it), and a
    ``.json`` file holding one JSON value (a list of records, one record, or something else, named in a clear
    error). None for the files ``datasets`` reads well: other ``.jsonl`` files, and ``.json`` files that are
    JSON lines."""
    with open(path, "rb") as f:
        bom = f.read(3) == b"\xef\xbb\xbf"
    if path.suffix.lower() == ".jsonl":
        if not bom:
            return None
        if (where := _bad_json_line(path)) is not None:
            raise DataError(f"could not read {source!r}: {where}")
        with open(path, encoding="utf-8-sig", errors="replace") as f:
            return [json.loads(line) for line in f if line.strip()]
    try:
        obj = json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_unique_fields)
    except _RepeatedField as e:
        raise DataError(f"could not read {source!r}: an object in it gives the field {e.args[0]!r} twice") from None
    except UnicodeDecodeError as e:
        raise DataError(f"could not read {source!r}: it is not UTF-8 text ({e})") from None
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # one JSON value per line: JSON lines under a .json name
            return None
        raise DataError(f"could not read {source!r}: line {e.lineno}, column {e.colno} is not valid JSON ({e.msg})") from None
    if isinstance(obj, list):
        bad = next((i for i, r in enumerate(obj) if not isinstance(r, dict)), None)
        if bad is None:
            return obj
        raise DataError(f"could not read {source!r}: item {bad} of its top-level list is a JSON "
                        f"{type(obj[bad]).__name__}, not an object with named fields: {str(obj[bad])[:80]!r}")
    if isinstance(obj, dict):  # one record (an object holding records was read by _json_object_records)
        return [obj]
    raise DataError(f"could not read {source!r}: its top level is a JSON {type(obj).__name__}; a .json file "
                    f"holds a list of objects with named fields, or one object holding such a list")


def _json_object_records(path: Path, source: str, question_column: str) -> list[dict] | None:
    """The rows of a ``.json`` file whose top level is one object rather than a list of records: the list of
    records it holds under one key (TriviaQA's ``{"Data": [...], "Version": ...}``, ``{"data": [...]}``), or its
    columns when every value is a list of the same length (``{"question": [...], "answer": [...]}``); None for
    any other file (read as a table). An object with neither names its keys."""
    with open(path, encoding="utf-8", errors="replace") as f:
        head = f.read(4096).lstrip("\ufeff \t\r\n")
    if not head.startswith("{"):
        return None
    try:
        obj = json.loads(path.read_text(encoding="utf-8-sig"), object_pairs_hook=_unique_fields)
    except _RepeatedField as e:
        raise DataError(f"could not read {source!r}: an object in it gives the field {e.args[0]!r} twice") from None
    except json.JSONDecodeError as e:
        if e.msg == "Extra data":  # one object per line: JSON lines under a .json name, for the table reader
            return None
        raise DataError(f"could not read {source!r}: line {e.lineno}, column {e.colno} is not valid JSON ({e.msg})") from None
    except UnicodeDecodeError as e:
        raise DataError(f"could not read {source!r}: it is not UTF-8 text ({e})") from None
    qkey = question_column.split(".")[0].lower()
    if not isinstance(obj, dict) or any(str(k).lower() == qkey and not isinstance(v, list) for k, v in obj.items()):
        return None  # one record: the table reader reports it
    lists = {k: v for k, v in obj.items() if isinstance(v, list)}
    if any(str(k).lower() == qkey for k in lists) and len({len(v) for v in lists.values()}) == 1:
        keys = list(lists)
        return [dict(zip(keys, values)) for values in zip(*lists.values())]
    record_lists = [k for k, v in lists.items() if v and all(isinstance(x, dict) for x in v)]
    if len(record_lists) == 1:
        return lists[record_lists[0]]
    raise DataError(f"{source}: the file is one JSON object with keys {list(obj)[:10]}, not a list of records; "
                    f"expected a list of {{question, answer}} objects, one key holding such a list, or columns of "
                    f"equal length (found {len(record_lists)} keys holding record lists)")


def _one_named(columns: list[str], names: tuple[str, ...]) -> str | None:
    """The one column whose lower-cased name is in ``names``, else None (none or several)."""
    hits = [c for c in columns if str(c).lower() in names]
    return hits[0] if len(hits) == 1 else None


def _columns(table) -> list[str]:
    if hasattr(table, "column_names"):
        return list(table.column_names)
    return list(dict.fromkeys(k for r in table for k in r))  # every row's keys: a field may be missing from the first


_PASSAGE_COLUMNS = ("context", "passage", "story", "paragraph", "support")  # SciQ: "support"
_CHOICE_COLUMNS = ("choices", "options")
_QUESTION_NAMES = ("input", "prompt", "query", "problem")  # the default question column's other names
_ANSWER_NAMES = ("answerkey", "answer_key", "output", "target", "correct_answer")  # ... and the answer column's
_LABELS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _choices(value) -> list[tuple[str, str]]:
    """(label, text) of each option a row offers, from the layouts benchmarks use: a list of texts (MMLU; labelled
    A, B, ...), ``{"text": [...], "label": [...]}`` (ARC, CommonsenseQA on the hub), a list of ``{"label", "text"}``
    objects (CommonsenseQA's own files) or ``{"A": text, ...}``. Raises ``ValueError`` for anything else."""
    if isinstance(value, dict) and isinstance(value.get("text"), list):
        texts = value["text"]
        labels = value.get("label") or list(_LABELS[:len(texts)])
        pairs = list(zip(labels, texts)) if len(labels) == len(texts) else []
    elif isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(c, dict) for c in value):
        pairs = [(c.get("label"), c.get("text")) for c in value]
    elif isinstance(value, list):
        pairs = list(zip(_LABELS, value)) if len(value) <= len(_LABELS) else []
    else:
        pairs = []
    if len(pairs) < 2 or any(not isinstance(t, (str, int, float)) or isinstance(t, bool) or str(t).strip() == ""
                             or not isinstance(lab, str) or not lab.strip() for lab, t in pairs):
        raise ValueError(f"are {repr(value)[:80]}: expected at least two options, as a list of texts, "
                         f"{{'text': [...], 'label': [...]}}, a list of {{'label', 'text'}} objects or {{label: text}}")
    return [(lab.strip(), str(t).strip()) for lab, t in pairs]


def _chosen_option(raw, answers: list[str], options: list[tuple[str, str]]) -> tuple[str, str] | None:
    """The option a row's answer names: an index (an int, as MMLU gives it), a label ("B", ARC's ``answerKey``), or
    an option's text."""
    if isinstance(raw, int) and not isinstance(raw, bool) and 0 <= raw < len(options):
        return options[raw]
    for a in answers:
        for lab, text in options:
            if a.strip().upper() == lab.upper() or " ".join(a.lower().split()) == " ".join(text.lower().split()):
                return lab, text
    return None


def _with_options(question: str, answers: list[str], raw, offered) -> tuple[str, list[str]]:
    """A multiple-choice row: the question with its options on its line ("Which is a noble gas? (A) Oxygen (B)
    Neon"), and, when it has an answer, the picked option's label and text as its gold. Listed one per line ("A.
    Oxygen"), the options made SmolLM2-135M answer "A. <first option>" to 39 of the 40 questions of
    tests/data/unseen_choices.jsonl. Labels "1".."4" (some of ARC's) are given as letters, which the grader reads.
    Raises ``ValueError`` for options it cannot read or an answer that is none of them."""
    options = _choices(offered)
    if answers:
        picked = _chosen_option(raw, answers, options)
        if picked is None:
            raise ValueError(f"do not hold the answer {answers[:3]}: it is no option's index, label or text "
                             f"(the options are labelled {[lab for lab, _ in options]})")
        answers = list(picked)
    if all(lab.isdigit() for lab, _ in options):
        letter = {lab: _LABELS[k] for k, (lab, _) in enumerate(options)}
        options = [(letter[lab], text) for lab, text in options]
        answers = [letter[answers[0]], *answers[1:]] if answers else answers
    return question + " " + " ".join(f"({lab}) {text}" for lab, text in options), answers


def rows_from_table(table, source: str, question_column: str, answer_column: str | None,
                    aliases_column: str | None, kind_column: str | None = None, group_column: str | None = None,
                    context_column: str | None = None, require_answers: bool = True,
                    choices_column: str | None = None) -> list[dict]:
    """Turn a ``datasets.Dataset`` (or list of dicts) into QA rows, validating every row.

    Column names may be dotted paths into nested records (``answer.value``, ``answer.aliases``).
    With ``require_answers=False`` a row without an answer is kept unlabelled (``answers: []``).
    With ``context_column`` (SQuAD's ``context``, CoQA's ``story``) the question becomes
    ``"Context: <passage>\nQuestion: <question>"``, and, without a ``group_column``, a passage is the group: its
    questions stay in one split (the grader reads the question after the passage: ``answers._asked``).
    With ``choices_column`` (MMLU's and ARC's ``choices``; found by itself when one column is named ``choices`` or
    ``options``) the options follow the question on its line ("(A) ... (B) ..."), and the answer, an index, a label or
    an option's text, becomes that option's label and text (``_choices``, ``_chosen_option``)."""
    if len(table) == 0:
        raise DataError(f"{source}: the file has no rows")
    columns = _columns(table)
    # the default names, plural or in another case ("answers"; TriviaQA's own "Question", "Answer"), when one column fits
    # (LM-Polygraph's "input" / "output", ARC's "answerKey", SciQ's "correct_answer", MATH's "problem")
    if question_column == "question" and "question" not in columns:
        question_column = (_one_named(columns, ("question",)) or _one_named(columns, _QUESTION_NAMES)
                           or question_column)
    if answer_column == "answer" and "answer" not in columns:
        answer_column = (_one_named(columns, ("answer", "answers")) or _one_named(columns, _ANSWER_NAMES)
                         or answer_column)
    if choices_column is None:
        choices_column = _one_named(columns, _CHOICE_COLUMNS)
    for role, col in (("question_column", question_column), ("answer_column", answer_column),
                      ("aliases_column", aliases_column), ("kind_column", kind_column), ("group_column", group_column),
                      ("context_column", context_column), ("choices_column", choices_column)):
        if col is not None and col.split(".")[0] not in columns:
            if role == "answer_column" and not require_answers:
                answer_column = None
                continue
            seps = [c for c in ";\t|," if len(columns) == 1 and c in columns[0]]
            hint = (f" (one column whose name holds {seps[0]!r}: is the file {seps[0]!r}-separated? .csv is read "
                    f"as comma-separated, .tsv as tab-separated)" if seps else "")
            raise DataError(f"{source}: {role}={col!r} is not a column; columns are {columns}{hint}")
    if context_column is None and (passage := _one_named(columns, _PASSAGE_COLUMNS)) is not None \
            and int(os.environ.get("RANK", os.environ.get("LOCAL_RANK", 0))) == 0:
        print(f"{source}: column {passage!r} looks like a passage the questions are about; the model is not shown it "
              f"(--data.init_args.context_column={passage} asks each question after its passage)", file=sys.stderr)
    rows = []
    for i, r in enumerate(table):
        q = _get(r, question_column)
        if q is not None and not isinstance(q, str):
            raise DataError(f"{source}: row {i}: the question in column {question_column!r} is "
                            f"{type(q).__name__} {str(q)[:60]!r}, not text")
        answers = []
        for role, col in (("answer", answer_column), ("aliases", aliases_column)):
            try:
                answers += [a for a in (_answer_strings(_get(r, col)) if col else []) if a not in answers]
            except ValueError as e:
                raise DataError(f"{source}: row {i}: the {role} in column {col!r} {e}") from None
        if not isinstance(q, str) or not q.strip():
            raise DataError(f"{source}: row {i} has an empty or missing question in column {question_column!r}")
        if not answers and require_answers:
            raise DataError(f"{source}: row {i} ({q[:60]!r}) has no answer in column {answer_column!r}")
        q = q.strip()
        if choices_column is not None and (offered := _get(r, choices_column)) is not None:
            try:
                q, answers = _with_options(q, answers, _get(r, answer_column) if answer_column else None, offered)
            except ValueError as e:
                raise DataError(f"{source}: row {i} ({q[:60]!r}): the options in column {choices_column!r} "
                                f"{e}") from None
        row = {"id": f"{Path(source).name}/{i}", "question": q, "answers": answers}
        if context_column is not None and (context := _get(r, context_column)) is not None:
            if not isinstance(context, str):
                raise DataError(f"{source}: row {i}: the passage in column {context_column!r} is "
                                f"{type(context).__name__} {str(context)[:60]!r}, not text")
            if context.strip():
                row["question"] = f"Context: {context.strip()}\nQuestion: {q}"
                if group_column is None:
                    row["group"] = context.strip()
        if kind_column is not None:
            row["kind"] = str(_get(r, kind_column))
        if group_column is not None and (group := _get(r, group_column)) is not None:
            row["group"] = str(group)
        rows.append(row)
    return rows


def add_competitors(splits: dict[str, list[dict]]) -> None:
    """Give every row of a known kind the normalized accepted answers of all questions of that kind
    (one shared frozenset per kind), for the grader's competing-candidate rule."""
    pools: dict[str, set[str]] = {}
    for rows in splits.values():
        for r in rows:
            if r.get("kind") is not None:
                pools.setdefault(r["kind"], set()).update(normalize(a) for a in r["answers"])
    frozen = {k: frozenset(v) for k, v in pools.items()}
    for rows in splits.values():
        for r in rows:
            if r.get("kind") is not None:
                r["competitors"] = frozen[r["kind"]]


class EpochSeededSampler(DistributedSampler):
    """Shuffle by (seed, epoch) with an explicit generator (no global RNG draw), give each DDP rank its
    own share (rank r takes every world-th item, the permutation padded like DistributedSampler), and
    start a resumed epoch after the items this rank already trained on.

    A DistributedSampler subclass, so Lightning keeps it under DDP instead of wrapping it."""

    def __init__(self, n: int, seed: int, groups: list | None = None) -> None:  # noqa: D107 (no super().__init__)
        dist_on = torch.distributed.is_available() and torch.distributed.is_initialized()
        self.num_replicas = torch.distributed.get_world_size() if dist_on else 1
        self.rank = torch.distributed.get_rank() if dist_on else 0
        self.n, self.seed, self.epoch, self.skip = n, seed, 0, 0
        self.groups = None  # with groups: whole groups in a seeded order, each group's items one after another
        if groups is not None:
            members: dict = {}
            for i, g in enumerate(groups):
                members.setdefault(("g", g) if g is not None else ("item", i), []).append(i)
            self.groups = list(members.values())

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def _mine(self) -> torch.Tensor:
        gen = torch.Generator().manual_seed(self.seed * 100_003 + self.epoch)
        if self.groups is None:
            perm = torch.randperm(self.n, generator=gen)
        else:
            perm = torch.tensor([i for k in torch.randperm(len(self.groups), generator=gen).tolist()
                                 for i in self.groups[k]], dtype=torch.long)
        total = -(-self.n // self.num_replicas) * self.num_replicas
        perm = torch.cat([perm, perm[: total - self.n]])  # pad so every rank gets as many items
        return perm[self.rank : total : self.num_replicas]

    def __iter__(self):
        skip, self.skip = self.skip, 0
        yield from self._mine()[skip:].tolist()

    def __len__(self) -> int:
        return -(-self.n // self.num_replicas) - self.skip


class EvalSampler(DistributedSampler):
    """Evaluation order (no shuffling), each DDP rank every world-th question, every rank as many as the
    others, like Lightning's DistributedSampler, so ranks run the same number of batches (under DDP a
    fit's validation batches are collective forward calls). Its padding (the first questions again, at
    most world - 1 of them) comes as negative indices, which :class:`EvalRows` marks ``padding``; the
    modules and callbacks drop those rows (``calibmodule.batch.drop_padding``), so each question counts once.

    A DistributedSampler subclass, so Lightning keeps it under DDP instead of wrapping it."""

    def __init__(self, n: int, split: str = "eval") -> None:  # noqa: D107 (no super().__init__: no dataset needed)
        dist_on = torch.distributed.is_available() and torch.distributed.is_initialized()
        self.num_replicas = torch.distributed.get_world_size() if dist_on else 1
        self.rank = torch.distributed.get_rank() if dist_on else 0
        if 0 < n < self.num_replicas:
            raise DataError(f"the {split} split has {n} question(s) for {self.num_replicas} processes: every process "
                            f"needs at least one; evaluate it with --trainer.devices=1")
        self.n, self.epoch, self.shuffle, self.drop_last = n, 0, False, False

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self):
        total = -(-self.n // self.num_replicas) * self.num_replicas
        order = list(range(self.n)) + [-1 - i for i in range(total - self.n)]
        yield from order[self.rank : total : self.num_replicas]

    def __len__(self) -> int:
        return -(-self.n // self.num_replicas)


class EvalRows(torch.utils.data.Dataset):
    """The rows of an evaluation split; a negative index (``EvalSampler``'s padding) gives row ``-1 - i``
    marked ``padding``."""

    def __init__(self, rows: list[dict]) -> None:
        self.rows = rows

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, k: int) -> dict:
        return self.rows[k] if k >= 0 else {**self.rows[-1 - k], "padding": True}


class ResumableLoader(DataLoader):
    """A DataLoader Lightning can checkpoint mid-epoch (it saves ``state_dict`` of stateful loaders):
    the state is the epoch and how many batches of it the trainer has processed."""

    def __init__(self, *args, progress=lambda: 0, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._progress = progress

    def state_dict(self) -> dict:
        return {"epoch": self.sampler.epoch, "batches_done": int(self._progress())}

    def load_state_dict(self, state: dict) -> None:
        self.sampler.set_epoch(state["epoch"])
        self.sampler.skip = state["batches_done"] * self.batch_size


def _held_out(rows: list[dict], size: int, rng: random.Random) -> set[int]:
    """Indices of at least ``size`` rows taken as whole groups (a row with no group is its own), groups drawn in a
    seeded order: held-out questions about entities training never saw, as val and test are split."""
    groups: dict = {}
    for i, r in enumerate(rows):
        groups.setdefault(("g", r["group"]) if r.get("group") is not None else ("row", i), []).append(i)
    keys = list(groups)
    rng.shuffle(keys)
    held: set[int] = set()
    for k in keys:
        if len(held) >= size:
            break
        held.update(groups[k])
    return held


def split_by_group(rows: list[dict], n_val: int, n_test: int, rng: random.Random) -> dict[str, list[dict]]:
    """A local file's val / test / train split, drawn as whole groups in a seeded order: rows of one ``group``,
    and rows asking the same question (case and spacing aside), never land in two splits, so no test question
    was trained on. Each split takes groups until it holds at least its count. With every row a group of its own
    this is a plain seeded shuffle of the rows."""
    groups: dict = {}
    for r in rows:
        key = ("g", r["group"]) if r.get("group") is not None else ("q", " ".join(r["question"].lower().split()))
        groups.setdefault(key, []).append(r)
    keys = list(groups)
    rng.shuffle(keys)
    out: dict[str, list[dict]] = {"val": [], "test": [], "train": []}
    for k in keys:
        split = "val" if len(out["val"]) < n_val else "test" if len(out["test"]) < n_test else "train"
        out[split] += groups[k]
    return out


class QADataModule(L.LightningDataModule):
    def __init__(
        self,
        source: str = "world_facts",
        templates: list[str] | None = None,
        subset: str | None = None,
        question_column: str = "question",
        answer_column: str = "answer",
        aliases_column: str | None = None,
        kind_column: str | None = None,
        group_column: str | None = None,
        context_column: str | None = None,
        choices_column: str | None = None,
        eval_only: bool = False,
        val_fraction: float = 0.15,
        test_fraction: float = 0.3,
        labelled_fraction: float = 1.0,
        max_train: int | None = None,
        max_val: int | None = 200,
        max_test: int | None = 400,
        calibration_size: int = 0,
        group_batches: bool = False,
        batch_size: int = 10,
        eval_batch_size: int = 50,
        seed: int = 0,
        num_workers: int = 0,
    ) -> None:
        """
        Args:
            source: ``world_facts``, a local .json/.jsonl/.csv/.parquet file, or a dataset dir/hub name.
            templates: world_facts templates to use (default: ``world_facts.DEFAULT_TEMPLATES``).
            subset: hub dataset config name (e.g. ``rc.nocontext`` for ``trivia_qa``). A dataset whose test split
                is unlabelled (TriviaQA: ``answer.value`` is ``<unk>``) gets half of its validation split as test.
            question_column: column holding the question text (dotted paths reach into nested records).
            answer_column: column holding the answer: any JSON scalar, a list of them, or an answer object (TriviaQA's,
                SQuAD's: ``_ANSWER_FIELDS`` are read), or a dotted path into one (e.g. ``answer.value``); a
                CSV cell may hold a JSON list. The default ``answer`` also finds a column named ``answers``.
            aliases_column: optional column with more accepted answers (e.g. ``answer.aliases``).
            kind_column: optional column naming each question's kind (world_facts: its template). Answers of
                other questions of the same kind are competitors: naming one besides the right answer is wrong.
            group_column: optional column naming the group each question belongs to, e.g. the entity it asks about
                (world_facts: its country). Questions of one group answer alike, so a local file is split into
                train / val / test by whole groups (``split_by_group``; repeats of one question are always kept
                together), and the test report's bootstrap intervals resample whole groups. A row with no value
                there is a group of its own.
            context_column: optional column holding a passage the question is about (SQuAD's ``context``, CoQA's
                ``story``): the model is asked ``"Context: <passage>\nQuestion: <question>"``, and the grader reads
                the question after the passage, so an answer taken from the passage is no echo. Without a
                ``group_column`` the passage is the group: questions about one passage stay in one split.
            choices_column: optional column holding a multiple-choice question's options (MMLU's list of texts,
                ARC's ``{"text", "label"}``, a list of ``{"label", "text"}`` objects, or ``{label: text}``); a column
                named ``choices`` or ``options`` is used without it. The options follow the question on its line
                ("... (A) Paris (B) Lyon"), and the answer (an index, as MMLU gives it, a label such as ARC's
                ``answerKey``, or an option's text) is accepted as that option's label or its text.
            eval_only: every row of ``source`` is an evaluation row (val = test = predict = all rows, no caps,
                no train split): ``test``/``validate``/``predict`` on a file of your own. ``fit`` refuses it.
            val_fraction: share of items held out for validation (local files, world_facts).
            test_fraction: share held out for test (local files, world_facts); 0.3 gives world_facts' default mix
                400 test questions (0.25 gave 342 once calling codes left the mix).
            labelled_fraction: share of training questions whose gold answers the reward may use (the stability
                blog's "labels used"). A seeded, fixed subset of the others is marked unlabelled (``labelled: False``
                in the batch); the RL module gives those only its label-free terms (``model.unlabelled_reward``).
                Their answers still grade ``train/acc`` for monitoring. Val/test are always labelled.
            max_train: cap on training questions (None: all).
            max_val: cap on validation questions.
            max_test: cap on test questions.
            calibration_size: training questions held out of training (before ``max_train``): after the last
                step the module answers them greedily and fits its post-hoc level correction on them
                (``model.calibration_tilt``). Drawn as whole groups (``group_column``; world_facts: countries), in
                a seeded order, until there are at least this many: questions about entities the policy never
                trained on, as val and test are. Never trained on; val and test are untouched.
            group_batches: training questions come group by group (``group_column``; world_facts: a country's
                questions one after another, groups in a seeded order), so that most of a step's rollouts are
                about an entity the policy has not trained on yet, as val, test and users' questions are. False:
                questions in a seeded random order.
            batch_size: training prompts per step (each gets N rollouts in RL).
            eval_batch_size: prompts per validation/test batch.
            seed: split/shuffle seed (same seed, same questions).
            num_workers: DataLoader workers.
        """
        super().__init__()
        for name, value in (("val_fraction", val_fraction), ("test_fraction", test_fraction)):
            if not 0.0 <= value < 1.0:
                raise ValueError(f"data.{name} must be in [0, 1), got {value}")
        if not eval_only and val_fraction + test_fraction >= 1.0:
            raise ValueError(f"data.val_fraction + data.test_fraction must be < 1 (a train split must remain), "
                             f"got {val_fraction} + {test_fraction}")
        if not 0.0 <= labelled_fraction <= 1.0:
            raise ValueError(f"data.labelled_fraction must be in [0, 1], got {labelled_fraction}")
        for name, value in (("max_train", max_train), ("max_val", max_val), ("max_test", max_test)):
            if value is not None and value < 1:
                raise ValueError(f"data.{name} must be >= 1 or null, got {value}")
        if calibration_size < 0:
            raise ValueError(f"data.calibration_size must be >= 0, got {calibration_size}")
        for name, value in (("batch_size", batch_size), ("eval_batch_size", eval_batch_size)):
            if value < 1:
                raise ValueError(f"data.{name} must be >= 1, got {value}")
        if num_workers < 0:
            raise ValueError(f"data.num_workers must be >= 0, got {num_workers}")
        if templates is not None:  # checked now, not when the first split comes out empty
            if not templates:
                raise ValueError("data.templates is empty: name world_facts templates, or leave it unset for the "
                                 f"default mix {world_facts.DEFAULT_TEMPLATES}")
            unknown = [t for t in templates if t not in world_facts.TEMPLATES]
            if unknown:
                raise ValueError(f"data.templates: unknown world_facts template(s) {unknown}; choose from "
                                 f"{sorted(world_facts.TEMPLATES)}")
        self.save_hyperparameters()
        self.splits: dict[str, list[dict]] = {}

    # ---- loading -------------------------------------------------------------------------------
    def _table(self):
        """The source as one table (local file) or a dict of split tables (dataset dir / hub name)."""
        h = self.hparams
        import datasets

        path = Path(h.source)
        suffix = path.suffix.lower()
        if suffix == ".gz" and Path(path.stem).suffix.lower() in _LOCAL_FORMATS:  # "qa.jsonl.gz"
            if not path.is_file():
                raise DataError(f"data file {h.source!r} does not exist")
            path = _gunzipped(path)
            suffix = path.suffix.lower()
        if path.is_file() and suffix not in _LOCAL_FORMATS:
            raise DataError(f"data file {h.source!r}: {suffix or 'no suffix'} is not a format this reads; "
                            f"use one of {sorted(_LOCAL_FORMATS)} (or one of them gzipped: .jsonl.gz)")
        if suffix in _LOCAL_FORMATS:
            if not path.is_file():
                raise DataError(f"data file {h.source!r} does not exist")
            if _blank_file(path):
                raise DataError(f"data file {h.source!r} is empty")
            if suffix != ".parquet" and (where := _not_utf8(path)) is not None:
                raise DataError(f"data file {h.source!r} is not UTF-8 text ({where}): save it as UTF-8")
            if suffix == ".json" and (records := _json_object_records(path, h.source, h.question_column)) is not None:
                return records
            if suffix in (".json", ".jsonl") and (records := _own_json_records(path, h.source)) is not None:
                return records
            extra = {"sep": "\t"} if suffix == ".tsv" else {}
            if suffix in (".csv", ".tsv") and (where := _ragged_csv_row(path, extra.get("sep", ","))) is not None:
                raise DataError(f"could not read {h.source!r}: {where}")
            try:
                return datasets.load_dataset(_LOCAL_FORMATS[suffix], data_files=str(path), split="train", **extra)
            except Exception as e:  # datasets raises many types for unreadable files
                where = _bad_json_line(path) if path.suffix.lower() == ".jsonl" else None
                raise DataError(f"could not read {h.source!r}: {where or _innermost(e)}") from None
        if path.is_dir():
            files = [f for f in path.rglob("*") if f.is_file() and f.suffix.lower() in _LOCAL_FORMATS
                     and f.name not in _DATASET_METADATA and not any(p.startswith(".") for p in f.relative_to(path).parts)]
            found = sorted({f.suffix.lower() for f in files})
            if len({_LOCAL_FORMATS[s] for s in found}) > 1:  # ``datasets`` reads one format's files, drops the rest
                raise DataError(f"data folder {h.source!r} holds data files of {len(found)} formats ({', '.join(found)}); "
                                f"a folder is read as one dataset of one format: keep one format in it, or give one file")
        try:
            return datasets.load_dataset(h.source, h.subset) if h.subset else datasets.load_dataset(h.source)
        except Exception as e:
            raise DataError(f"could not load dataset {h.source!r}{f' ({h.subset})' if h.subset else ''}: "
                            f"{e.__class__.__name__}: {e}") from None

    def _load(self, require_answers: bool) -> dict[str, list[dict]]:
        h = self.hparams
        fr = (1.0 - h.val_fraction - h.test_fraction, h.val_fraction, h.test_fraction)
        cols = (h.question_column, h.answer_column, h.aliases_column, h.kind_column, h.group_column, h.context_column)
        choices = {"choices_column": h.choices_column}
        if h.source == "world_facts":
            splits = world_facts.split(h.templates, h.seed, fr)
            for rows in splits.values():
                for r in rows:
                    r["kind"], r["group"] = r["template"], r["country"]
            if h.eval_only:
                return {"all": [r for k in ("train", "val", "test") for r in splits[k]]}
            return splits
        table = self._table()
        if not isinstance(table, dict):  # one local file: split by seed
            rows = rows_from_table(table, h.source, *cols, require_answers=require_answers, **choices)
            if h.eval_only:
                return {"all": rows}
            return split_by_group(rows, round(len(rows) * fr[1]), round(len(rows) * fr[2]), random.Random(h.seed))
        names = {"train": "train", "val": "validation" if "validation" in table else "test", "test": "test"}
        if h.eval_only:
            names = {"all": "test" if "test" in table else "validation" if "validation" in table else "train"}
        out = {}
        for k, split in names.items():
            if split not in table:
                raise DataError(f"dataset {h.source!r} has no {split!r} split; it has {list(table)}")
            out[k] = rows_from_table(table[split], f"{h.source}[{split}]", *cols,
                                     require_answers=require_answers and k != "test", **choices)
        if require_answers and not h.eval_only and not any(r["answers"] for r in out["test"]):
            # an unlabelled test split (TriviaQA's): hold out half of the validation split as test instead
            if names["val"] == "test":
                raise DataError(f"dataset {h.source!r}: its test split has no answers and there is no validation split")
            rows = list(out["val"])
            random.Random(h.seed).shuffle(rows)
            out["val"], out["test"] = rows[: len(rows) // 2], rows[len(rows) // 2 :]
        elif require_answers and not h.eval_only:
            rows_from_table(table[names["test"]], f"{h.source}[{names['test']}]", *cols, **choices)  # names an unlabelled row
        return out

    def setup(self, stage: str | None = None) -> None:
        if self.splits:
            return
        h = self.hparams
        if h.eval_only and stage == "fit":
            raise DataError("data.eval_only=true has no train split: use it with test/validate/predict, not fit")
        splits = self._load(require_answers=stage != "predict")
        add_competitors(splits)
        if h.eval_only:
            rows = splits["all"]
            if not rows:
                raise DataError(f"{h.source}: no rows to evaluate")
            self.splits = {"val": rows, "test": rows, "predict": rows}
            return
        if h.calibration_size and "train" in splits:  # held out of training before max_train caps what is left
            train = splits["train"]
            if h.calibration_size >= len(train):
                raise DataError(f"data.calibration_size={h.calibration_size} leaves no training questions: "
                                f"{h.source}'s train split has {len(train)}")
            held = _held_out(train, h.calibration_size, random.Random(h.seed + 104_729))
            if len(held) >= len(train):
                raise DataError(f"data.calibration_size={h.calibration_size} leaves no training questions: its "
                                f"whole groups take all {len(train)} of {h.source}'s train split")
            self.splits["calibration"] = [r for i, r in enumerate(train) if i in held]
            splits["train"] = [r for i, r in enumerate(train) if i not in held]
        caps = {"train": h.max_train, "val": h.max_val, "test": h.max_test}
        for k, rows in splits.items():
            rows = rows[: caps[k]] if caps[k] is not None else rows
            if not rows:
                raise DataError(f"{h.source}: the {k} split is empty (check the file, fractions and max_{k})")
            self.splits[k] = rows
        self.splits["predict"] = self.splits["test"]
        if h.labelled_fraction < 1.0:
            train = self.splits["train"]
            chosen = set(random.Random(h.seed + 7919).sample(range(len(train)), round(len(train) * h.labelled_fraction)))
            self.splits["train"] = [{**r, "labelled": i in chosen} for i, r in enumerate(train)]

    # ---- loaders -------------------------------------------------------------------------------
    def _loader(self, split: str, batch_size: int, shuffle: bool) -> DataLoader:
        return DataLoader(self.splits[split], batch_size=batch_size, shuffle=shuffle, collate_fn=collate,
                          num_workers=self.hparams.num_workers)

    def _batches_done(self) -> int:
        trainer = getattr(self, "trainer", None)
        return trainer.fit_loop.epoch_loop.batch_progress.current.processed if trainer is not None else 0

    def train_dataloader(self) -> DataLoader:
        rows = self.splits["train"]
        groups = [r.get("group") for r in rows] if self.hparams.group_batches else None
        return ResumableLoader(rows, batch_size=self.hparams.batch_size, collate_fn=collate,
                               sampler=EpochSeededSampler(len(rows), self.hparams.seed, groups),
                               num_workers=self.hparams.num_workers, progress=self._batches_done)

    def _eval_loader(self, split: str) -> DataLoader:
        rows = self.splits[split]
        return DataLoader(EvalRows(rows), batch_size=self.hparams.eval_batch_size, sampler=EvalSampler(len(rows), split),
                          collate_fn=collate, num_workers=self.hparams.num_workers)

    def val_dataloader(self) -> DataLoader:
        return self._eval_loader("val")

    def calibration_dataloader(self) -> DataLoader | None:
        """The held-out training questions of ``calibration_size`` (None when it is 0), in evaluation batches."""
        return self._eval_loader("calibration") if self.splits.get("calibration") else None

    def test_dataloader(self) -> DataLoader:
        return self._eval_loader("test")

    def predict_dataloader(self) -> DataLoader:
        return self._loader("predict", self.hparams.eval_batch_size, shuffle=False)
