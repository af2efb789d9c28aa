"""``python -m calibmodule {fit,validate,test,predict} --config configs/X.yaml`` (LightningCLI).

Models and datamodules are chosen by ``class_path`` in the YAML (subclass mode), so every
method's typed ``__init__`` is its CLI schema; ``--print_config`` shows the resolved config.
"""

from __future__ import annotations

import os
import sys

import lightning as L
from lightning.pytorch.cli import LightningCLI


class CalibCLI(LightningCLI):
    def add_arguments_to_parser(self, parser) -> None:
        parser.set_defaults({
            "trainer.logger": {"class_path": "lightning.pytorch.loggers.TensorBoardLogger",
                               "init_args": {"save_dir": "runs", "name": "calibmodule"}},
        })


def _check_config_files(args: list[str]) -> None:
    """Fail early, naming the file, on a --config that is missing or not valid YAML."""
    import yaml

    for i, a in enumerate(args):
        path = args[i + 1] if a == "--config" and i + 1 < len(args) else a.split("=", 1)[1] if a.startswith(
            "--config=") else None
        if path is None:
            continue
        if not os.path.isfile(path):
            sys.exit(f"error: config file {path!r} does not exist")
        try:
            with open(path) as f:
                yaml.safe_load(f)
        except yaml.YAMLError as e:
            sys.exit(f"error: config file {path!r} is not valid YAML: {e}")


def main(args: list[str] | None = None, run: bool = True) -> CalibCLI:
    _check_config_files(list(sys.argv[1:] if args is None else args))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    return CalibCLI(L.LightningModule, L.LightningDataModule, subclass_mode_model=True,
                    subclass_mode_data=True, args=args, run=run, save_config_kwargs={"overwrite": True},
                    auto_configure_optimizers=False)
