"""``python -m calibmodule {fit,validate,test,predict} --config configs/X.yaml`` (LightningCLI).

Models and datamodules are chosen by ``class_path`` in the YAML (subclass mode), so every
method's typed ``__init__`` is its CLI schema; ``--print_config`` shows the resolved config.
"""

from __future__ import annotations

import os
import re
import sys
import warnings
from pathlib import Path

import lightning as L
import torch
from lightning.fabric.utilities.exceptions import MisconfigurationException
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


_CKPT_ALIASES = ("last", "best", "hpc")


class _ShortUsage:
    """``print_usage`` of our parsers: one line. A class, not a closure, so the parser pickles (``ddp_spawn``)."""

    def __init__(self, parser) -> None:
        self.parser = parser  # its prog is read when printing: a subcommand's parser gets it after init_parser

    def __call__(self, file=None) -> None:
        prog = self.parser.prog.replace(" [options]", "")
        sub = "" if prog != "python -m calibmodule" else " {fit,validate,test,predict}"
        (file or sys.stderr).write(f"usage: {prog}{sub} --config configs/X.yaml [--key=value ...]\n")


_PARSER_KEY = re.compile(r'^\s*(?:- )?Parser key "([^"]+)":\s*$')
_NOISE = ("Does not validate against", "Subtypes:", "Errors:", "Given value", "- Expected a <class 'NoneType'>",
          "- Problem with given class_path")


def condense_parser_error(message: str) -> str:
    """jsonargparse's message for a bad ``model``/``data`` value (a union of class paths, every alternative's
    failure, the value's repr) -> one line naming the setting: "model.num_rollouts: expected int, got 'four'". Any
    other message is returned as it is."""
    lines = message.splitlines()
    at = next((i for i, line in enumerate(lines) if "Problem with given class_path" in line), None)
    first = _PARSER_KEY.match(lines[0]) if lines else None
    if first is not None and at is None and len(lines) == 2:  # a plain setting: 'Parser key "trainer.max_steps":'
        return f"{first[1]}: {_plainly(lines[1].strip())}"
    if at is None or first is None:
        return message
    cls = re.search(r"class_path '([^']+)'", lines[at])
    depth = len(lines[at]) - len(lines[at].lstrip())
    path, said = [first[1]], []
    for line in lines[at + 1:]:
        if len(line) - len(line.lstrip()) <= depth:
            break
        if (key := _PARSER_KEY.match(line)) is not None:
            path.append(key[1])
        elif not line.strip().startswith(_NOISE):
            said.append(line.strip().removeprefix("- "))
    if not said:
        return message
    owner = f" ({cls[1].rsplit('.', 1)[-1]})" if cls and len(path) == 1 else ""
    return f"{'.'.join(path)}: {_plainly(said[0])}{owner}"


def _plainly(text: str) -> str:
    """"Expected a <class 'int'>. Got value: four" -> "expected int, got 'four'"; a Literal lists its values."""
    m = re.fullmatch(r"Expected a (.+?)\. Got value: (.*)", text)
    if m is None:
        return text[0].lower() + text[1:] if text[:1].isupper() and not text[:2].isupper() else text
    kind = re.sub(r"<class '(?:\w+\.)*(\w+)'>", r"\1", m[1])
    kind = re.sub(r"^typing\.Literal\[(.*)\]$", r"one of \1", kind)
    return f"expected {kind}, got {m[2]!r}"


class _ConciseErrors:
    """``error`` of our parsers: a bad ``model``/``data`` value in one line (:func:`condense_parser_error`)."""

    def __init__(self, parser) -> None:
        self.parser = parser

    def __call__(self, message: str, ex: Exception | None = None):
        return type(self.parser).error(self.parser, condense_parser_error(message), ex)


class CalibCLI(LightningCLI):
    def init_parser(self, **kwargs):
        """A bad argument prints one usage line, not every option (``--help`` still lists them), then the error,
        in one line where jsonargparse writes a page for a value of the model or data."""
        parser = super().init_parser(**kwargs)
        parser.print_usage = _ShortUsage(parser)
        parser.error = _ConciseErrors(parser)
        return parser

    def _parse_ckpt_path(self) -> None:
        """``--ckpt_path``: a missing file or one that is not a checkpoint exits with one line naming it
        (Lightning would fail deep inside ``torch.load`` or at the end of setup)."""
        sub = self.config.get("subcommand")
        path = self.config[sub].get("ckpt_path") if sub else None
        if path and path not in _CKPT_ALIASES and not str(path).startswith("registry") and "://" not in str(path):
            if not Path(path).is_file():
                raise SystemExit(f"error: --ckpt_path {path!r} does not exist"
                                 + (" (it is a directory: name the .ckpt file in it)" if Path(path).is_dir() else ""))
            try:  # memory-mapped: only the settings are read, not a full model's weights (lora.r=0)
                blob = torch.load(path, weights_only=True, map_location="cpu", mmap=True)
                self._saved = {k: blob.get(k) or {} for k in ("hyper_parameters", "datamodule_hyper_parameters")}
            except Exception as e:  # noqa: BLE001 -- any failure to read it is the same user error
                first = str(e).strip().splitlines()[0] if str(e).strip() else ""
                raise SystemExit(f"error: --ckpt_path {path!r} is not a readable Lightning checkpoint "
                                 f"({type(e).__name__}: {first[:200]})") from None
            self._apply_saved_settings(sub, dict(self._saved["hyper_parameters"]))
            return
        super()._parse_ckpt_path()

    def parse_arguments(self, parser, args) -> None:
        self._given_args = list(sys.argv[1:] if args is None else args)  # what the command line itself set
        super().parse_arguments(parser, args)

    def _given_model_settings(self) -> set[str]:
        """The model's settings the command line names (``--model.init_args.X=v``, ``--model.X v``, nested
        ``--model.init_args.reward.correctness=2`` -> ``reward``); a config file's values are not among them."""
        keys = set()
        for a in getattr(self, "_given_args", []):
            if a.startswith("--model."):
                parts = a[len("--model."):].split("=", 1)[0].split(".")
                if parts[0] == "init_args":
                    parts = parts[1:]
                if parts and parts[0] and parts[0] not in ("class_path", "dict_kwargs"):
                    keys.add(parts[0])
        return keys

    def _apply_saved_settings(self, sub: str, hparams: dict) -> None:
        """LightningCLI's ``--ckpt_path`` rebuilds the model with the settings saved in the checkpoint, over the
        config; a setting given on the command line stays as given (Lightning would drop it silently: a test run
        with ``--model.init_args.eval_confidence=greedy`` would still read out the expected value). Weights that
        do not fit the model built are refused when loaded (``models.check_checkpoint_fits``)."""
        hparams.pop("_instantiator", None)
        saved_cls, asked_cls = hparams.get("_class_path"), getattr(self.config[sub].get("model"), "class_path", None)
        if saved_cls and asked_cls and saved_cls != asked_cls:
            dropped = sorted(self._given_model_settings() - set(hparams))
            print(f"--ckpt_path: the checkpoint's model is {saved_cls.rsplit('.', 1)[-1]}, not the config's "
                  f"{asked_cls.rsplit('.', 1)[-1]}: "
                  f"it is rebuilt as saved" + (f"; settings it does not take are dropped: {', '.join(dropped)}"
                                               if dropped else ""), file=sys.stderr)
        given = sorted(self._given_model_settings() & set(hparams))
        for k in given:
            hparams.pop(k)
        if given:
            print(f"--ckpt_path: the model's settings are the checkpoint's, except as given here: {', '.join(given)}",
                  file=sys.stderr)
        if not [k for k in hparams if k != "_class_path"]:
            return
        if "_class_path" in hparams:
            hparams = {"class_path": hparams.pop("_class_path"), "dict_kwargs": hparams}
        try:
            self.config = self.parser.parse_object({sub: {"model": hparams}}, self.config)
        except SystemExit:
            sys.stderr.write("Parsing of ckpt_path hyperparameters failed!\n")
            raise

    def before_instantiate_classes(self) -> None:
        """``fit --ckpt_path last``: continue the newest run of this logger (same version folder); test, validate
        or predict a checkpoint on a file it was not trained on: every row of it."""
        cfg = self.config.get(self.subcommand) if self.subcommand else None
        settings = cfg if self.subcommand else self.config  # run=False: not nested under a subcommand
        if settings is not None and settings.get("trainer") is not None:
            _check_trainer_numbers(settings.trainer)
        if cfg is not None and self.subcommand in ("test", "validate", "predict"):
            self._whole_file_if_not_trained_on(cfg)
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

    def _whole_file_if_not_trained_on(self, cfg) -> None:
        """A checkpoint evaluated on another source than the one it was trained on: no row of the file was trained
        on, so all are evaluated (``data.eval_only``), not a 30% "test split" of it (as ``test`` did, silently). The
        same source keeps its held-out split; ``--data.init_args.eval_only=false`` keeps the split anyway."""
        path, data = cfg.get("ckpt_path"), cfg.get("data")
        args = getattr(data, "init_args", None) if data is not None else None
        if not path or not Path(str(path)).is_file() or args is None or "eval_only" not in args or args.eval_only:
            return
        if any(a.startswith("--data.") and "eval_only" in a for a in getattr(self, "_given_args", [])):
            return
        trained_on = getattr(self, "_saved", {}).get("datamodule_hyper_parameters", {}).get("source")
        if trained_on is None or _same_source(trained_on, args.source):
            return
        args.eval_only = True
        print(f"--ckpt_path was trained on {trained_on!r}, not {args.source!r}: every row of {args.source!r} is "
              f"evaluated (data.eval_only=true; --data.init_args.eval_only=false keeps a test split)", file=sys.stderr)

    def after_instantiate_classes(self) -> None:
        """``ddp_spawn`` shares tensors as files. Every output folder is checked writable before any work (a run
        that fails at its first log or its last write loses what it computed); ``--predictions PATH`` sets where
        ``predict`` writes its JSONL (callbacks.predictions.PredictionWriter)."""
        if not self.subcommand:  # run=False: parsed and built only, nothing will be written
            return
        launcher = getattr(self.trainer.strategy, "launcher", None)
        if getattr(launcher, "_start_method", None) in ("spawn", "forkserver"):
            # ``ddp_spawn`` sends the module to each process; weights memory-mapped from safetensors files cannot
            # be passed as file descriptors ("unable to resize file"), as shared-memory files they can
            import torch.multiprocessing

            torch.multiprocessing.set_sharing_strategy("file_system")
        cfg = self.config.get(self.subcommand)
        logger = self.trainer.logger
        if logger is not None and getattr(logger, "save_dir", None):
            _check_writable(logger.save_dir, "trainer.logger.init_args.save_dir")
        else:
            _check_writable(self.trainer.default_root_dir, "trainer.default_root_dir")
        path = cfg.get("predictions") if cfg is not None else None
        if not path:
            return
        _check_writable(os.path.dirname(os.path.abspath(path)), "--predictions")
        from callbacks.predictions import PredictionWriter

        writers = [cb for cb in self.trainer.callbacks if isinstance(cb, PredictionWriter)]
        if not writers:
            writers = [PredictionWriter()]
            self.trainer.callbacks.append(writers[0])
        for w in writers:
            w.output_path = path

    def add_arguments_to_parser(self, parser) -> None:
        parser.add_argument("--predictions", type=str | None, default=None,
                            help="predict: JSONL file to write (default <log_dir>/predictions.jsonl)")
        parser.set_defaults({
            "trainer.logger": {"class_path": "lightning.pytorch.loggers.TensorBoardLogger",
                               "init_args": {"save_dir": "runs", "name": "calibmodule"}},
        })


def _check_trainer_numbers(trainer) -> None:
    """Trainer counts Lightning takes without a check and fails on later, after a training step (``0`` gives a
    ``ZeroDivisionError`` in its loop), or in the middle of a run (a NaN clip value): refused here by name."""
    import math

    def bad(name: str, why: str) -> None:
        raise SystemExit(f"error: trainer.{name} {why}, got {trainer.get(name)!r}")

    v = trainer.get("val_check_interval")
    if (isinstance(v, int) and not isinstance(v, bool) and v < 1) or (isinstance(v, float) and not 0.0 < v <= 1.0):
        bad("val_check_interval", "must be a number of steps >= 1 or a fraction of an epoch in (0, 1]")
    for name in ("accumulate_grad_batches", "check_val_every_n_epoch"):  # log_every_n_steps 0 is valid: no logs
        v = trainer.get(name)
        if isinstance(v, int) and not isinstance(v, bool) and v < 1:
            bad(name, "must be >= 1")
    v = trainer.get("gradient_clip_val")
    if isinstance(v, (int, float)) and not isinstance(v, bool) and not (math.isfinite(v) and v >= 0):
        bad("gradient_clip_val", "must be a finite number >= 0")


def _check_writable(folder: str, field: str) -> None:
    """A folder that cannot take files exits with one line naming the setting."""
    from calibmodule.paths import cannot_write

    if (why := cannot_write(folder)) is not None:
        raise SystemExit(f"error: {field}: cannot write to {str(folder)!r} ({why})")


def _expand_config(path: str, chain: tuple[str, ...] = ()) -> list[str]:
    """A preset and the ``base:`` presets it builds on, base first, as ``--config`` values: paths, and
    the overlay itself (without its ``base`` key) as YAML text. ``base`` is relative to the file."""
    import yaml

    if os.path.isdir(path):
        sys.exit(f"error: config file {path!r} is a folder; give a YAML file (e.g. configs/default.yaml)")
    if not os.path.isfile(path):
        sys.exit(f"error: config file {path!r} does not exist")
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except yaml.YAMLError as e:
        sys.exit(f"error: config file {path!r} is not valid YAML: {e}")
    except UnicodeDecodeError:
        from datamodules.qa import _not_utf8

        sys.exit(f"error: config file {path!r} is not UTF-8 text ({_not_utf8(Path(path))}): save it as UTF-8")
    if data is None:
        sys.exit(f"error: config file {path!r} is empty: it sets nothing (start from configs/default.yaml)")
    if not isinstance(data, dict):
        sys.exit(f"error: config file {path!r} holds a YAML {type(data).__name__}, not settings as `key: value` lines")
    if "base" not in data:
        return [path]
    bases = data.pop("base")
    out = []
    for b in [bases] if isinstance(bases, str) else list(bases or []):
        bp = os.path.normpath(os.path.join(os.path.dirname(path), str(b)))
        if bp in chain or bp == os.path.normpath(path):
            sys.exit(f"error: config file {path!r}: base {b!r} includes itself")
        if not os.path.isfile(bp):
            sys.exit(f"error: config file {path!r}: base {b!r} does not exist (looked for {bp})")
        out += _expand_config(bp, (*chain, os.path.normpath(path)))
    return [*out, yaml.safe_dump(data, sort_keys=False)] if data else out


def expand_config_args(args: list[str]) -> list[str]:
    """Replace every ``--config X`` whose file names a ``base`` by its expanded chain (see ``_expand_config``);
    a missing or invalid file fails here, naming it."""
    out, i = [], 0
    while i < len(args):
        a = args[i]
        if a == "--config" and i + 1 < len(args):
            out += [v for p in _expand_config(args[i + 1]) for v in ("--config", p)]
            i += 2
            continue
        if a.startswith("--config="):
            out += [v for p in _expand_config(a.split("=", 1)[1]) for v in ("--config", p)]
        else:
            out.append(a)
        i += 1
    return out


_OUR_CODE = tuple(str(Path(__file__).resolve().parents[1] / d) for d in ("calibmodule", "datamodules", "callbacks"))


def _same_source(a: str, b: str) -> bool:
    """Two data sources name the same data: equal names, or paths to the same file or folder."""
    if a == b:
        return True
    pa, pb = Path(str(a)).expanduser(), Path(str(b)).expanduser()
    return pa.exists() and pb.exists() and pa.resolve() == pb.resolve()


def user_error(e: BaseException) -> BaseException | None:
    """The validation error our own code raised (a bad field, file, row, model path), dug out of the
    wrappers jsonargparse/Lightning put around it; None when ``e`` is not one (a bug: keep the traceback)."""
    from calibmodule.models import ModelLoadError

    chain: list[BaseException] = []
    while e is not None and e not in chain:
        chain.append(e)
        # a context the raiser suppressed (``raise ... from None``) is not the error: our message wraps it
        e = e.__cause__ or (None if e.__suppress_context__ else e.__context__)
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
    args = expand_config_args(list(sys.argv[1:] if args is None else args))
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    # we pass sys.argv on as ``args`` on purpose (``base:`` configs expanded above); Lightning warns against that
    warnings.filterwarnings("ignore", message=".*LightningCLI's args parameter is intended to run from within Python")
    if args[:1] and args[0] in ("test", "validate", "predict"):  # a checkpoint evaluated from another run folder:
        warnings.filterwarnings("ignore", message="The dirpath has changed from")  # its saver's state needs no move
    # Lightning's own use of torch's deprecated pytree class (lightning 2.6 with torch >= 2.10): nothing to change here
    warnings.filterwarnings("ignore", message=r"`isinstance\(treespec, LeafSpec\)` is deprecated")
    try:
        cli = CalibCLI(L.LightningModule, L.LightningDataModule, subclass_mode_model=True,
                       subclass_mode_data=True, args=args, run=run, save_config_kwargs={"overwrite": True},
                       parser_kwargs={"prog": "python -m calibmodule", "description": (
                           "calibmodule: post-train a language model to state calibrated confidence. Subcommands "
                           "fit / validate / test / predict take --config configs/X.yaml; "
                           "`python -m calibmodule sweep --config configs/sweeps/X.yaml` runs a sweep.")},
                       auto_configure_optimizers=False)
        _release_process_group()
        return cli
    except Exception as e:
        err = user_error(e)
        if err is None:
            err = _unknown_saved_setting(e, args)
        if err is None and isinstance(e, MisconfigurationException):  # a trainer setting Lightning refuses, by name
            err = str(e)
        if err is None:
            raise
        sys.exit(f"error: {err}")


def _release_process_group() -> None:
    """Free the process group a multi-process run opened once its work is done and saved. Lightning leaves it to the
    interpreter's exit, where gloo's threads were seen to abort a finished 2-process ``predict`` ("terminate called
    without an active exception", exit status -6: once in four CI runs). Freeing it is local to each process."""
    if torch.distributed.is_available() and torch.distributed.is_initialized():
        torch.distributed.destroy_process_group()


_UNEXPECTED = re.compile(r"(\w+)\.__init__\(\) got an unexpected keyword argument '(\w+)'")


def _unknown_saved_setting(e: BaseException, args: list[str]) -> str | None:
    """A setting the class does not take, which reached it from a checkpoint's saved hyperparameters (LightningCLI
    applies those of ``--ckpt_path``): a checkpoint written by another calibmodule version. The parser rejects the
    same key given on the command line or in a config before this point, naming it."""
    m = _UNEXPECTED.search(str(e))
    ckpt = next((a.split("=", 1)[1] if "=" in a else (args[i + 1] if i + 1 < len(args) else "")
                 for i, a in enumerate(args) if a == "--ckpt_path" or a.startswith("--ckpt_path=")), None)
    if m is None or not ckpt:
        return None
    return (f"--ckpt_path {ckpt}: its saved settings include {m[2]!r}, which {m[1]} of this calibmodule version does "
            f"not take (was it written by another version?)")
