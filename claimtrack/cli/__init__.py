"""The command line: thin click commands over the library."""

from __future__ import annotations

import pkgutil
from importlib import import_module

from ._common import main

# Each public module of this package registers its commands on the shared group, so a new
# command module needs no entry here; a module whose optional dependency is missing is skipped.
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _info.name.startswith("_"):
        continue
    try:
        import_module(f"{__name__}.{_info.name}")
    except ModuleNotFoundError as _e:
        if _e.name != f"{__name__}.{_info.name}":
            raise

__all__ = ["main"]
