"""Status list credentials in the fetcher's on-disk cache (`net.fetcher.HttpCache`), by list URL.

A view for code that holds parsed documents (tests, tools that seed a cache); the verifier reads the
same entries through `net.Fetcher`. Each entry keeps its retrieval time so offline verification can say
how old its copy is. Nothing in the cache is trusted: the list's proof and issuer are checked on every use.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.jsonld.limits import Limits, parse_json
from ecvet_credentials.net.fetcher import HttpCache
from ecvet_credentials.status._util import parse_dt

DEFAULT_MAX_DOC_BYTES = 8 * 1024 * 1024  # a 4 MiB list base64-encoded, plus room


@dataclass(frozen=True)
class CachedList:
    url: str
    document: dict[str, Any]
    fetched_at: datetime


class StatusListCache:
    def __init__(self, directory: Path, *, max_bytes: int = DEFAULT_MAX_DOC_BYTES):
        self._http = HttpCache(directory, max_bytes=max_bytes)

    def get(self, url: str) -> CachedList | None:
        """The cached copy, or None when absent, oversized, unreadable or for another URL."""
        hit = self._http.get(url)
        if hit is None:
            return None
        meta, body = hit
        try:
            document = parse_json(body, limits=Limits(max_bytes=self._http.max_bytes))
        except InputError:  # not JSON, too deep: as if absent (it is refetched)
            return None
        fetched_at = parse_dt(meta["fetchedAt"])  # (never None: the HTTP cache refuses such a copy)
        if not isinstance(document, dict) or fetched_at is None:
            return None
        return CachedList(url, document, fetched_at)

    def put(self, url: str, document: dict[str, Any], fetched_at: datetime) -> None:
        self._http.put(url, json.dumps(document, ensure_ascii=False).encode("utf-8"), fetched_at,
                       content_type="application/vc")
