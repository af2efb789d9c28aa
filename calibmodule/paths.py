"""Paths: where installed packages keep their data (the one helper every loader of shipped files uses), and
whether an output folder can take files (checked before work that would otherwise be lost)."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path


def package_dir(module: str) -> Path | None:
    """The folder of an installed package (without importing it), or None if it is not installed.

    >>> package_dir("calibmodule").name
    'calibmodule'
    >>> package_dir("no_such_package_here") is None
    True
    """
    spec = importlib.util.find_spec(module)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def cannot_write(folder: str | Path) -> str | None:
    """Why ``folder`` cannot take files (created if missing; a probe file is written and removed), or None.

    >>> import tempfile; cannot_write(tempfile.mkdtemp()) is None
    True
    """
    try:
        Path(folder).mkdir(parents=True, exist_ok=True)
        probe = Path(folder) / f".calibmodule-probe-{os.getpid()}"
        probe.write_text("")
        probe.unlink()
    except OSError as e:
        return f"{e.__class__.__name__}: {e.strerror or e}"
    return None
