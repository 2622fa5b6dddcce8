"""Verifier-side on-disk cache of status list credentials, one JSON file per list URL.

Each entry keeps the retrieval time so offline verification can say how old its copy is.
Nothing in the cache is trusted: the list's proof and issuer are checked on every use.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..jsonld.limits import Limits, read_json_file
from ._util import atomic_write, iso, parse_dt

DEFAULT_MAX_DOC_BYTES = 8 * 1024 * 1024  # a 4 MiB list base64-encoded, plus room


@dataclass(frozen=True)
class CachedList:
    url: str
    document: dict[str, Any]
    fetched_at: datetime


class StatusListCache:
    def __init__(self, directory: Path, *, max_bytes: int = DEFAULT_MAX_DOC_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def path_for(self, url: str) -> Path:
        # Hashing the URL keeps file names safe whatever the URL contains.
        return self.directory / (hashlib.sha256(url.encode("utf-8")).hexdigest()[:40] + ".json")

    def get(self, url: str) -> CachedList | None:
        """The cached copy, or None when absent, oversized, unreadable or for another URL."""
        path = self.path_for(url)
        if not path.exists():
            return None
        try:
            entry = read_json_file(path, limits=Limits(max_bytes=self.max_bytes))
        except InputError:  # oversized, not a regular file, not JSON: as if absent (it is refetched)
            return None
        if not isinstance(entry, dict) or entry.get("url") != url or not isinstance(entry.get("document"), dict):
            return None
        fetched_at = parse_dt(entry.get("fetchedAt"))
        if fetched_at is None:
            return None
        return CachedList(url, entry["document"], fetched_at)

    def put(self, url: str, document: dict[str, Any], fetched_at: datetime) -> Path:
        path = self.path_for(url)
        entry = {"url": url, "fetchedAt": iso(fetched_at), "document": document}
        atomic_write(path, json.dumps(entry, ensure_ascii=False).encode("utf-8"))
        return path
