"""``python -m calibmodule {fit,validate,test,predict} --config configs/X.yaml`` (LightningCLI).

Models and datamodules are chosen by ``class_path`` in the YAML (subclass mode), so every
method's typed ``__init__`` is its CLI schema; ``--print_config`` shows the resolved config.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import lightning as L
from lightning.pytorch.cli import LightningCLI


def find_last_checkpoint(save_dir: str, name: str) -> tuple[Path, str] | None:
    """Newest ``last.ckpt`` / ``on_exception.ckpt`` under ``save_dir/name/version_*/checkpoints``,
    with the version folder it belongs to."""
    found = [p for p in Path(save_dir, name).glob("*/checkpoints/*.ckpt")
             if p.name in ("last.ckpt", "on_exception.ckpt")]
    if not found:
        return None
    best = max(found, key=lambda p: p.stat().st_mtime)
    return best, best.parent.parent.name


class CalibCLI(LightningCLI):
    def before_instantiate_classes(self) -> None:
        """``fit --ckpt_path last``: continue the newest run of this logger (same version folder)."""
        cfg = self.config.get(self.subcommand) if self.subcommand else None
        if cfg is None or cfg.get("ckpt_path") != "last":
            return
        logger = cfg.trainer.logger
        if not logger or isinstance(logger, bool) or "TensorBoardLogger" not in str(logger.get("class_path", "")):
            return  # other loggers: Lightning's own "last" lookup
        args = logger.init_args
        hit = find_last_checkpoint(args.get("save_dir") or "runs", args.get("name") or "lightning_logs")
        if hit is None:
            raise SystemExit(f"error: --ckpt_path last: no last.ckpt or on_exception.ckpt under "
                             f"{args.get('save_dir')}/{args.get('name')}/*/checkpoints; nothing to resume")
        cfg.ckpt_path = str(hit[0])
        args.version = hit[1]  # keep logging into the run we resume
        print(f"resuming from {hit[0]}")

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


_OUR_CODE = tuple(str(Path(__file__).resolve().parents[1] / d) for d in ("calibmodule", "datamodules", "callbacks"))


def user_error(e: BaseException) -> BaseException | None:
    """The validation error our own code raised (a bad field, file, row, model path), dug out of the
    wrappers jsonargparse/Lightning put around it; None when ``e`` is not one (a bug: keep the traceback)."""
    from calibmodule.models import ModelLoadError

    chain: list[BaseException] = []
    while e is not None and e not in chain:
        chain.append(e)
        e = e.__cause__ or e.__context__
    for exc in chain[::-1]:  # innermost first
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        ours = tb is not None and str(Path(tb.tb_frame.f_code.co_filename).resolve()).startswith(_OUR_CODE)
        if ours and isinstance(exc, (ValueError, ModelLoadError, FileNotFoundError)):
            return exc
    return None


def main(args: list[str] | None = None, run: bool = True) -> CalibCLI:
    """Run the CLI. A bad config value, data file or model path exits with one ``error: ...`` line
    naming it (checkpoints written before the failure stay on disk); other exceptions propagate."""
    _check_config_files(list(sys.argv[1:] if args is None else args))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    try:
        return CalibCLI(L.LightningModule, L.LightningDataModule, subclass_mode_model=True,
                        subclass_mode_data=True, args=args, run=run, save_config_kwargs={"overwrite": True},
                        auto_configure_optimizers=False)
    except Exception as e:
        err = user_error(e)
        if err is None:
            raise
        sys.exit(f"error: {err}")
