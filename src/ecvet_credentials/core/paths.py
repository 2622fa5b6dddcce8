"""Where bundled data lives: contexts/ and schemas/ at the repo root (source or editable install)
or ecvet_credentials/_data/ inside a wheel."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

_PKG = Path(__file__).resolve().parents[1]  # the package root (core/ is one level down)


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    """Directory of bundled data `name` ("contexts" or "schemas")."""
    for candidate in (_PKG / "_data" / name, _PKG.parents[1] / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"bundled data directory {name!r} not found (broken install?)")
