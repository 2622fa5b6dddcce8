"""Verifier side: where a `statusListCredential` URL is read from.

Order: a local publish directory (the layout `publish.py` writes), then the cache while it is
fresh, then the network, but only over HTTPS and only from hosts the caller allowed, then a stale
cached copy. Offline: directory, then cache of any age (check_status reports the age). Nothing is
ever fetched implicitly: with no allowed hosts the network is never touched.
"""
from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import urlsplit

from ..errors import InputError, LimitExceededError, StatusListError, StatusListUnavailableError
from ..fileutil import read_bounded
from ..jsonld.limits import Limits, parse_json
from .cache import DEFAULT_MAX_DOC_BYTES, StatusListCache
from .publish import INDEX_FILE, read_index

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
USER_AGENT = "ecvet-credentials status-list fetcher"


@dataclass
class FetchedList:
    url: str
    document: dict[str, Any]
    origin: str                      # "directory" | "cache" | "network"
    fetched_at: datetime | None      # retrieval time; None for a local publish directory
    note: str | None = None          # e.g. why a cached copy was used instead of fetching
    memo: dict[str, Any] = field(default_factory=dict, repr=False)  # check_status results per document

    def age(self, now: datetime) -> timedelta | None:
        return None if self.fetched_at is None else now - self.fetched_at


def list_ttl(document: dict[str, Any]) -> timedelta | None:
    subject = document.get("credentialSubject")
    ttl = subject.get("ttl") if isinstance(subject, dict) else None
    if isinstance(ttl, int) and not isinstance(ttl, bool) and ttl > 0:
        return timedelta(milliseconds=ttl)
    return None


def freshness_limit(document: dict[str, Any], max_age: timedelta | None) -> timedelta | None:
    """How old a retrieved copy may be: the smaller of the list's ttl and the caller's max_age."""
    limits = [t for t in (list_ttl(document), max_age) if t is not None]
    return min(limits) if limits else None


class StatusListSource:
    def __init__(
        self,
        *,
        directory: Path | None = None,
        cache_dir: Path | None = None,
        allowed_hosts: Iterable[str] = (),
        offline: bool = False,
        timeout: float = 10.0,
        max_bytes: int = DEFAULT_MAX_DOC_BYTES,
        allow_http_loopback: bool = False,
    ):
        self.directory = Path(directory) if directory else None
        self.cache = StatusListCache(cache_dir, max_bytes=max_bytes) if cache_dir else None
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.offline = offline
        self.timeout = timeout
        self.max_bytes = max_bytes
        # Plain http only for tests against a loopback server the caller also allowed.
        self.allow_http_loopback = allow_http_loopback
        self._memory: dict[str, tuple[Any, FetchedList]] = {}
        self._index_memo: tuple[tuple[int, int], dict[str, Any]] | None = None

    # --- public ---------------------------------------------------------------------------------
    def get(self, url: str, *, now: datetime | None = None, max_age: timedelta | None = None) -> FetchedList:
        """The list credential for `url`. Raises StatusListUnavailableError when none can be had."""
        now = now or datetime.now(timezone.utc)
        local = self._from_directory(url)
        if local is not None:
            return local
        cached = self._from_cache(url)
        if cached is not None:
            cached.note = None
        if self.offline:
            if cached is None:
                raise StatusListUnavailableError(
                    f"offline and no cached copy of status list {url}", code="STATUS_LIST_UNAVAILABLE"
                )
            cached.note = "offline: cached copy"
            return cached
        refusal = self.refusal(url)
        if refusal is not None:
            if cached is not None:
                cached.note = f"cached copy ({refusal})"
                return cached
            raise StatusListUnavailableError(refusal, code="STATUS_FETCH_REFUSED")
        if cached is not None:
            limit = freshness_limit(cached.document, max_age)
            if limit is not None and now - cached.fetched_at <= limit:
                return cached
        try:
            return self._fetch(url, now)
        except StatusListUnavailableError as exc:
            if cached is None:
                raise
            cached.note = f"cached copy (refresh failed: {exc})"
            return cached

    def refusal(self, url: str) -> str | None:
        """Why `url` may not be fetched, or None if it may."""
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if host not in self.allowed_hosts:
            return f"status list host {host or '?'!r} is not an allowed host (allow it, or give a status directory)"
        if parts.scheme == "https":
            return None
        if parts.scheme == "http" and self.allow_http_loopback and host in LOOPBACK_HOSTS:
            return None
        return f"status list URL {url} is not https"

    # --- sources --------------------------------------------------------------------------------
    def _from_directory(self, url: str) -> FetchedList | None:
        if self.directory is None:
            return None
        try:
            entry = self._index()["lists"].get(url)
        except (OSError, ValueError):
            return None
        if not isinstance(entry, dict) or not isinstance(entry.get("file"), str):
            return None
        path = self.directory / Path(entry["file"]).name  # never leave the directory
        try:
            stat = path.stat()
        except OSError:
            return None
        stamp = ("dir", stat.st_mtime_ns, stat.st_size)
        hit = self._memory.get(url)
        if hit and hit[0] == stamp:
            return hit[1]
        if stat.st_size > self.max_bytes:
            raise LimitExceededError(f"status list file {path} is larger than {self.max_bytes} bytes")
        doc = _parse_json(read_bounded(path, max_bytes=self.max_bytes, source=f"status list file {path}",
                                       error=StatusListError), url)
        fetched = FetchedList(url, doc, "directory", None)
        self._memory[url] = (stamp, fetched)
        return fetched

    def _index(self) -> dict[str, Any]:
        """index.json, re-read only when it changed (a publisher may rewrite it while we run)."""
        stat = (self.directory / INDEX_FILE).stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        if self._index_memo is None or self._index_memo[0] != stamp:
            self._index_memo = (stamp, read_index(self.directory))
        return self._index_memo[1]

    def _from_cache(self, url: str) -> FetchedList | None:
        hit = self._memory.get(url)
        if hit and hit[0][0] in ("cache", "network"):
            return hit[1]
        if self.cache is None:
            return None
        cached = self.cache.get(url)
        if cached is None:
            return None
        fetched = FetchedList(url, cached.document, "cache", cached.fetched_at)
        self._memory[url] = (("cache", cached.fetched_at), fetched)
        return fetched

    def _fetch(self, url: str, now: datetime) -> FetchedList:
        opener = urllib.request.build_opener(_RedirectGuard(self))
        request = urllib.request.Request(
            url, headers={"Accept": "application/vc+ld+json, application/vc, application/json", "User-Agent": USER_AGENT}
        )
        try:
            with opener.open(request, timeout=self.timeout) as resp:
                length = resp.headers.get("Content-Length")
                if length and length.isdigit() and int(length) > self.max_bytes:
                    raise LimitExceededError(f"status list at {url} is larger than {self.max_bytes} bytes")
                body = resp.read(self.max_bytes + 1)
        except LimitExceededError:
            raise
        except (urllib.error.URLError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise StatusListUnavailableError(
                f"could not fetch status list {url}: {reason}", code="STATUS_FETCH_FAILED"
            ) from None
        if len(body) > self.max_bytes:
            raise LimitExceededError(f"status list at {url} is larger than {self.max_bytes} bytes")
        doc = _parse_json(body, url)
        if self.cache is not None:
            self.cache.put(url, doc, now)
        fetched = FetchedList(url, doc, "network", now)
        self._memory[url] = (("network", now), fetched)
        return fetched


class _RedirectGuard(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to a URL the source would fetch itself (no escape to other hosts)."""

    def __init__(self, source: StatusListSource):
        super().__init__()
        self.source = source

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001
        refusal = self.source.refusal(newurl)
        if refusal is not None:
            raise urllib.error.URLError(f"redirect refused: {refusal}")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def _parse_json(data: bytes, url: str) -> dict[str, Any]:
    try:  # the one bounded parse (depth, values), with room for the largest lists
        doc = parse_json(data, limits=Limits(max_bytes=max(len(data), 1)), source=f"status list {url}")
    except InputError as exc:
        raise StatusListError(f"status list {url} is not JSON: {exc}", code="STATUS_LIST_NOT_JSON") from None
    if not isinstance(doc, dict):
        raise StatusListError(f"status list {url} is not a JSON object", code="STATUS_LIST_NOT_JSON")
    return doc
