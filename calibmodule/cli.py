"""``python -m calibmodule {fit,validate,test,predict} --config configs/X.yaml`` (LightningCLI).

Models and datamodules are chosen by ``class_path`` in the YAML (subclass mode), so every
method's typed ``__init__`` is its CLI schema; ``--print_config`` shows the resolved config.
"""

from __future__ import annotations

import os

import lightning as L
from lightning.pytorch.cli import LightningCLI


class CalibCLI(LightningCLI):
    def add_arguments_to_parser(self, parser) -> None:
        parser.set_defaults({
            "trainer.logger": {"class_path": "lightning.pytorch.loggers.TensorBoardLogger",
                               "init_args": {"save_dir": "runs", "name": "calibmodule"}},
        })


def main(args: list[str] | None = None, run: bool = True) -> CalibCLI:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return CalibCLI(L.LightningModule, L.LightningDataModule, subclass_mode_model=True,
                    subclass_mode_data=True, args=args, run=run, save_config_kwargs={"overwrite": True},
                    auto_configure_optimizers=False)
