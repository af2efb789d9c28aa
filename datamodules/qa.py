"""QADataModule: question/answer(+aliases) data for every calibmodule method.

Sources:
* ``source: world_facts`` — the built-in generator (``datamodules/world_facts.py``);
* a local ``.json``/``.jsonl``/``.csv``/``.parquet`` file (split into train/val/test by seed), or a
  directory / hub dataset name loaded with ``datasets.load_dataset`` (its own splits are used).

Batches are plain python: ``{"id": [str], "question": [str], "answers": [[str]]}``; tokenisation
and prompting belong to the LightningModule, so one datamodule serves every method.
"""

from __future__ import annotations

import random
from pathlib import Path

import lightning as L
import torch
from torch.utils.data import DataLoader, Sampler

from datamodules import world_facts

_LOCAL_FORMATS = {".json": "json", ".jsonl": "json", ".csv": "csv", ".parquet": "parquet"}


class DataError(ValueError):
    """Bad QA data; the message names the file, column or row."""


def collate(rows: list[dict]) -> dict[str, list]:
    return {"id": [r["id"] for r in rows], "question": [r["question"] for r in rows],
            "answers": [r["answers"] for r in rows]}


def rows_from_table(table, source: str, question_column: str, answer_column: str,
                    aliases_column: str | None) -> list[dict]:
    """Turn a ``datasets.Dataset`` (or list of dicts) into QA rows, validating every row."""
    columns = list(table.column_names) if hasattr(table, "column_names") else list(table[0]) if table else []
    for role, col in (("question_column", question_column), ("answer_column", answer_column),
                      ("aliases_column", aliases_column)):
        if col is not None and col not in columns:
            raise DataError(f"{source}: {role}={col!r} is not a column; columns are {columns}")
    rows = []
    for i, r in enumerate(table):
        q = r[question_column]
        a = r[answer_column]
        answers = [a] if isinstance(a, str) else list(a or [])
        if aliases_column is not None:
            extra = r[aliases_column]
            answers += [extra] if isinstance(extra, str) else list(extra or [])
        answers = [str(x).strip() for x in answers if x is not None and str(x).strip()]
        if not isinstance(q, str) or not q.strip():
            raise DataError(f"{source}: row {i} has an empty or missing question in column {question_column!r}")
        if not answers:
            raise DataError(f"{source}: row {i} ({q[:60]!r}) has no answer in column {answer_column!r}")
        rows.append({"id": f"{Path(source).name}/{i}", "question": q.strip(), "answers": answers})
    return rows


class EpochSeededSampler(Sampler[int]):
    """Shuffle by (seed, epoch) with an explicit generator (no global RNG draw), and start a
    resumed epoch after the items already trained on."""

    def __init__(self, n: int, seed: int) -> None:
        self.n, self.seed, self.epoch, self.skip = n, seed, 0, 0

    def set_epoch(self, epoch: int) -> None:
        self.epoch = epoch

    def __iter__(self):
        perm = torch.randperm(self.n, generator=torch.Generator().manual_seed(self.seed * 100_003 + self.epoch))
        skip, self.skip = self.skip, 0
        yield from perm[skip:].tolist()

    def __len__(self) -> int:
        return self.n - self.skip


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


class QADataModule(L.LightningDataModule):
    def __init__(
        self,
        source: str = "world_facts",
        templates: list[str] | None = None,
        question_column: str = "question",
        answer_column: str = "answer",
        aliases_column: str | None = None,
        val_fraction: float = 0.15,
        test_fraction: float = 0.15,
        max_train: int | None = None,
        max_val: int | None = 200,
        max_test: int | None = 400,
        batch_size: int = 8,
        eval_batch_size: int = 32,
        seed: int = 0,
        num_workers: int = 0,
    ) -> None:
        """
        Args:
            source: ``world_facts``, a local .json/.jsonl/.csv/.parquet file, or a dataset dir/hub name.
            templates: world_facts templates to use (default: all); see ``world_facts.TEMPLATES``.
            question_column: column holding the question text.
            answer_column: column holding the answer (a string or a list of accepted strings).
            aliases_column: optional column with more accepted answers.
            val_fraction: share of items held out for validation (local files, world_facts).
            test_fraction: share held out for test (local files, world_facts).
            max_train: cap on training questions (None: all).
            max_val: cap on validation questions.
            max_test: cap on test questions.
            batch_size: training prompts per step (each gets N rollouts in RL).
            eval_batch_size: prompts per validation/test batch.
            seed: split/shuffle seed (same seed, same questions).
            num_workers: DataLoader workers.
        """
        super().__init__()
        self.save_hyperparameters()
        self.splits: dict[str, list[dict]] = {}

    # ---- loading -------------------------------------------------------------------------------
    def _load(self) -> dict[str, list[dict]]:
        h = self.hparams
        fr = (1.0 - h.val_fraction - h.test_fraction, h.val_fraction, h.test_fraction)
        if h.source == "world_facts":
            return world_facts.split(h.templates, h.seed, fr)
        path = Path(h.source)
        if path.suffix.lower() in _LOCAL_FORMATS:
            if not path.is_file():
                raise DataError(f"data file {h.source!r} does not exist")
            import datasets

            try:
                table = datasets.load_dataset(_LOCAL_FORMATS[path.suffix.lower()], data_files=str(path), split="train")
            except Exception as e:  # datasets raises many types for unreadable files
                raise DataError(f"could not read {h.source!r}: {e.__class__.__name__}: {e}") from None
            rows = rows_from_table(table, h.source, h.question_column, h.answer_column, h.aliases_column)
            random.Random(h.seed).shuffle(rows)
            n_val, n_test = round(len(rows) * fr[1]), round(len(rows) * fr[2])
            return {"val": rows[:n_val], "test": rows[n_val : n_val + n_test], "train": rows[n_val + n_test :]}
        import datasets

        try:
            ds = datasets.load_dataset(h.source)
        except Exception as e:
            raise DataError(f"could not load dataset {h.source!r}: {e.__class__.__name__}: {e}") from None
        names = {"train": "train", "val": "validation" if "validation" in ds else "test", "test": "test"}
        out = {}
        for k, split in names.items():
            if split not in ds:
                raise DataError(f"dataset {h.source!r} has no {split!r} split; it has {list(ds)}")
            out[k] = rows_from_table(ds[split], f"{h.source}[{split}]", h.question_column, h.answer_column,
                                     h.aliases_column)
        return out

    def setup(self, stage: str | None = None) -> None:
        if self.splits:
            return
        h = self.hparams
        splits = self._load()
        caps = {"train": h.max_train, "val": h.max_val, "test": h.max_test}
        for k, rows in splits.items():
            rows = rows[: caps[k]] if caps[k] is not None else rows
            if not rows:
                raise DataError(f"{h.source}: the {k} split is empty (check the file, fractions and max_{k})")
            self.splits[k] = rows

    # ---- loaders -------------------------------------------------------------------------------
    def _loader(self, split: str, batch_size: int, shuffle: bool) -> DataLoader:
        return DataLoader(self.splits[split], batch_size=batch_size, shuffle=shuffle, collate_fn=collate,
                          num_workers=self.hparams.num_workers)

    def _batches_done(self) -> int:
        trainer = getattr(self, "trainer", None)
        return trainer.fit_loop.epoch_loop.batch_progress.current.processed if trainer is not None else 0

    def train_dataloader(self) -> DataLoader:
        rows = self.splits["train"]
        return ResumableLoader(rows, batch_size=self.hparams.batch_size, collate_fn=collate,
                               sampler=EpochSeededSampler(len(rows), self.hparams.seed),
                               num_workers=self.hparams.num_workers, progress=self._batches_done)

    def val_dataloader(self) -> DataLoader:
        return self._loader("val", self.hparams.eval_batch_size, shuffle=False)

    def test_dataloader(self) -> DataLoader:
        return self._loader("test", self.hparams.eval_batch_size, shuffle=False)

    def predict_dataloader(self) -> DataLoader:
        return self.test_dataloader()
