"""Helpers the status modules share, from their one implementation in the package."""
from __future__ import annotations

from ecvet_credentials.core.files import atomic_write_bytes as atomic_write
from ecvet_credentials.core.timeutil import as_utc, iso, parse_datetime as parse_dt

__all__ = ["as_utc", "atomic_write", "iso", "parse_dt"]
