"""Where installed packages keep their data: the one helper every loader of shipped files uses."""

from __future__ import annotations

import importlib.util
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
