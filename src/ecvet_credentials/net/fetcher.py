"""The one HTTP fetcher: every byte this package reads from the network goes through `Fetcher.get`.

Promises, in order of the checks: the host is on the caller's allow-list before any connection
(no DNS lookup, no socket otherwise: no SSRF); HTTPS only (plain http only to a loopback host when
`allow_http_loopback` is set, for tests and `--dev`); redirects are followed only to the same host and
re-checked; connect/read timeouts and a bound on the whole fetch; the body is bounded while it streams (a lying Content-Length does
not help); ETag / Last-Modified revalidation; an on-disk cache that records when each copy was
fetched, so `offline` mode (cache only) can say how old its copy is.

Nothing fetched is trusted: callers check proofs and issuers on every use.
"""
from __future__ import annotations

import hashlib
import json
import os
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable, Iterable
from urllib.parse import urljoin, urlsplit

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.core.files import atomic_write_bytes
from ecvet_credentials.core.timeutil import iso, parse_datetime, utc_now
from ecvet_credentials.i18n import _, ngettext

LOOPBACK_HOSTS = frozenset({"127.0.0.1", "::1", "localhost"})
USER_AGENT = "ecvet-credentials fetcher"
DEFAULT_MAX_BYTES = 8 * 1024 * 1024
DEFAULT_TIMEOUT = 10.0            # connect / each read
DEFAULT_TOTAL_SECONDS = 30.0     # the whole fetch: a server dripping a byte at a time is cut off
MAX_REDIRECTS = 3
# A CA bundle to trust in addition to the system's (a test CA, or a partner's private CA).
CA_BUNDLE_ENV = "ECVET_CA_BUNDLE"


class FetchError(EcvetError):
    """Nothing usable could be had for a URL (network error, HTTP error, offline with no copy)."""

    code = "FETCH_FAILED"


class FetchRefused(FetchError):
    """The URL may not be requested at all (host not allowed, not https): nothing was sent."""

    code = "FETCH_REFUSED"


@dataclass(frozen=True)
class Fetched:
    url: str
    body: bytes
    fetched_at: datetime           # when this copy was last confirmed by its server
    origin: str                    # "network" (fresh or revalidated) | "cache"
    content_type: str = ""
    note: str | None = None        # why a cached copy stands in for a fetch, if it does

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or utc_now()) - self.fetched_at


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def describe_age(age: timedelta) -> str:
    """'3 minutes', '5 hours', '2 days' in the current language (its plural forms) — how old a cached copy
    is, for reports. Whole units, rounded down; seconds below 2 minutes, minutes below 2 hours, hours below
    2 days."""
    seconds = max(0, int(age.total_seconds()))
    if seconds < 120:
        return ngettext("{n} second", "{n} seconds", seconds).format(n=seconds)
    if seconds < 7200:
        n = seconds // 60
        return ngettext("{n} minute", "{n} minutes", n).format(n=n)
    if seconds < 172800:
        n = seconds // 3600
        return ngettext("{n} hour", "{n} hours", n).format(n=n)
    n = seconds // 86400
    return ngettext("{n} day", "{n} days", n).format(n=n)


class HttpCache:
    """HOME/cache/http: one body file and one metadata file per URL (names are digests of the URL)."""

    def __init__(self, directory: Path, *, max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def _paths(self, url: str) -> tuple[Path, Path]:
        stem = hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]
        return self.directory / f"{stem}.meta.json", self.directory / f"{stem}.body"

    def get(self, url: str) -> tuple[dict, bytes] | None:
        from ecvet_credentials.core.errors import InputError
        from ecvet_credentials.core.files import read_bounded
        from ecvet_credentials.jsonld.limits import Limits, parse_json

        meta_path, body_path = self._paths(url)
        if not meta_path.exists():
            return None
        try:  # the one bounded read: regular files only (no FIFO, no link to /dev/zero), size capped
            meta = parse_json(read_bounded(meta_path, max_bytes=65536), limits=Limits(max_bytes=65536))
            body = read_bounded(body_path, max_bytes=self.max_bytes)
        except InputError:
            return None
        if not isinstance(meta, dict) or meta.get("url") != url or parse_datetime(meta.get("fetchedAt")) is None:
            return None
        if meta.get("sha256") != hashlib.sha256(body).hexdigest():
            return None  # a torn or edited pair: treat as absent
        return meta, body

    def put(self, url: str, body: bytes, fetched_at: datetime, *, etag: str = "", last_modified: str = "",
            content_type: str = "") -> None:
        meta_path, body_path = self._paths(url)
        atomic_write_bytes(body_path, body)
        meta = {"url": url, "fetchedAt": iso(fetched_at), "etag": etag, "lastModified": last_modified,
                "contentType": content_type, "sha256": hashlib.sha256(body).hexdigest()}
        atomic_write_bytes(meta_path, json.dumps(meta).encode("utf-8"))

    def touch(self, url: str, fetched_at: datetime) -> None:
        """A 304: the copy is confirmed as of `fetched_at`."""
        hit = self.get(url)
        if hit is not None:
            meta, body = hit
            self.put(url, body, fetched_at, etag=meta.get("etag", ""), last_modified=meta.get("lastModified", ""),
                     content_type=meta.get("contentType", ""))


class Fetcher:
    """GET with an allow-list, bounds and a cache. One instance per command or service.

    `allowed_hosts` is the default allow-list; `get(..., allowed_hosts=...)` narrows a single call to
    the hosts a trust registry entry allows. `cache_dir=None` keeps no disk cache (memory only).
    `transport` (an httpx transport) is for tests.
    """

    def __init__(
        self,
        *,
        cache_dir: Path | None = None,
        allowed_hosts: Iterable[str] = (),
        offline: bool = False,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        allow_http_loopback: bool = False,
        ca_bundle: str | None = None,
        transport=None,
        clock: Callable[[], datetime] = utc_now,
        total_seconds: float = DEFAULT_TOTAL_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ):
        self.cache = HttpCache(cache_dir, max_bytes=max_bytes) if cache_dir else None
        self.allowed_hosts = frozenset(h.lower() for h in allowed_hosts)
        self.offline = offline
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.allow_http_loopback = allow_http_loopback
        self.ca_bundle = ca_bundle if ca_bundle is not None else os.environ.get(CA_BUNDLE_ENV) or None
        self.transport = transport
        self.clock = clock
        self.total_seconds = total_seconds
        self.monotonic = monotonic
        self.requested: list[str] = []   # every URL a request was sent for, in order (tests, audits)
        self._memory: dict[str, Fetched] = {}
        # One client per fetcher: building its TLS context (the CA store) costs ~80 ms, and
        # keep-alive serves a run's second list from the same host without a new handshake.
        self._client = None
        self._client_lock = threading.Lock()

    def _http(self):
        import httpx  # noqa: PLC0415 - only commands that go online pay for the import

        with self._client_lock:
            if self._client is None:
                kwargs = {"timeout": httpx.Timeout(self.timeout), "follow_redirects": False, "trust_env": False}
                if self.transport is not None:
                    kwargs["transport"] = self.transport
                elif self.ca_bundle:
                    import ssl  # noqa: PLC0415

                    context = ssl.create_default_context()
                    context.load_verify_locations(self.ca_bundle)
                    kwargs["verify"] = context
                self._client = httpx.Client(**kwargs)
            return self._client

    def close(self) -> None:
        with self._client_lock:
            if self._client is not None:
                self._client.close()
                self._client = None

    # --- policy ---------------------------------------------------------------------------------
    def refusal(self, url: str, allowed_hosts: Iterable[str] | None = None) -> str | None:
        """Why `url` may not be requested (None: it may). Decided from the URL alone, before any I/O."""
        allowed = self.allowed_hosts if allowed_hosts is None else frozenset(h.lower() for h in allowed_hosts)
        parts = urlsplit(url)
        host = (parts.hostname or "").lower()
        if parts.username or parts.password:
            return _("{url} carries credentials in its address; refused").format(url=url)
        if host not in allowed:
            return _("host {host} is not allowed for this fetch (allowed: {allowed})").format(
                host=repr(host or "?"), allowed=", ".join(sorted(allowed)) or _("none"))
        if parts.scheme == "https":
            return None
        if parts.scheme == "http" and self.allow_http_loopback and host in LOOPBACK_HOSTS:
            return None
        return _("{url} is not https").format(url=url)

    # --- reading --------------------------------------------------------------------------------
    def cached(self, url: str) -> Fetched | None:
        """The cached copy of `url` (memory, then disk), or None. Never touches the network."""
        if url in self._memory:
            return self._memory[url]
        if self.cache is None:
            return None
        hit = self.cache.get(url)
        if hit is None:
            return None
        meta, body = hit
        fetched_at = parse_datetime(meta["fetchedAt"])
        if fetched_at is None:  # (never: the cache refuses a copy without its time)
            return None
        return Fetched(url, body, fetched_at, "cache", meta.get("contentType", ""))

    def get(
        self,
        url: str,
        *,
        accept: str = "application/json",
        max_age: timedelta | None = None,
        allowed_hosts: Iterable[str] | None = None,
        now: datetime | None = None,
    ) -> Fetched:
        """The body at `url`: a cached copy younger than `max_age`, else the network, else (when the
        network fails) a cached copy of any age with a note. Offline: the cache only.

        Raises FetchRefused (nothing sent) or FetchError (nothing usable).
        """
        cached = self.cached(url)
        now = now or self.clock()  # the caller's time (a verifier checking "as of"), else the clock
        if self.offline:  # nothing is requested: the cache holds only what an allowed fetch stored
            if cached is None:
                raise FetchError(_("offline and no cached copy of {url}").format(url=url), code="FETCH_OFFLINE_NO_COPY")
            return _with(cached, origin="cache", note=_("offline: cached copy, {age} old").format(age=describe_age(cached.age(now))))
        refusal = self.refusal(url, allowed_hosts)
        if refusal is not None:
            raise FetchRefused(refusal)
        if cached is not None and max_age is not None and cached.age(now) <= max_age:
            return cached
        try:
            fetched = self._fetch(url, accept, cached, allowed_hosts, now)
        except FetchRefused:
            raise
        except FetchError as exc:
            if cached is None:
                raise
            return _with(cached, origin="cache",
                         note=_("cached copy, {age} old (refresh failed: {error})").format(age=describe_age(cached.age(now)), error=exc))
        self._memory[url] = fetched
        return fetched

    def _fetch(self, url: str, accept: str, cached: Fetched | None, allowed_hosts, now: datetime) -> Fetched:
        import httpx  # noqa: PLC0415 - only commands that go online pay for the import

        headers = {"Accept": accept, "User-Agent": USER_AGENT}
        hit = self.cache.get(url) if cached is not None and self.cache is not None else None
        meta = hit[0] if hit else {}
        if meta.get("etag"):
            headers["If-None-Match"] = meta["etag"]
        if meta.get("lastModified"):
            headers["If-Modified-Since"] = meta["lastModified"]
        target = url
        deadline = self.monotonic() + self.total_seconds
        try:
            client = self._http()
            for _hop in range(MAX_REDIRECTS + 1):  # each hop re-checked
                self.requested.append(target)
                with client.stream("GET", target, headers=headers) as resp:
                    if resp.has_redirect_location:
                        nxt = urljoin(target, resp.headers.get("Location", ""))
                        if host_of(nxt) != host_of(url):
                            raise FetchRefused(_("{url} redirects to another host ({host}); refused").format(
                                url=target, host=host_of(nxt) or "?"))
                        why = self.refusal(nxt, allowed_hosts)
                        if why is not None:
                            raise FetchRefused(_("redirect refused: {reason}").format(reason=why))
                        target = nxt
                        continue
                    if resp.status_code == 304 and cached is not None:
                        if self.cache is not None:
                            self.cache.touch(url, now)
                        return _with(cached, origin="network", fetched_at=now, note=None)
                    if resp.status_code != 200:
                        raise FetchError(_("{url} answered HTTP {status}").format(url=target, status=resp.status_code),
                                         code="FETCH_HTTP_ERROR")
                    body = self._read_bounded(resp, url, deadline)
                    content_type = resp.headers.get("Content-Type", "")
                    if self.cache is not None:
                        self.cache.put(url, body, now, etag=resp.headers.get("ETag", ""),
                                       last_modified=resp.headers.get("Last-Modified", ""),
                                       content_type=content_type)
                    return Fetched(url, body, now, "network", content_type)
            raise FetchError(_("{url}: more than {n} redirects").format(url=url, n=MAX_REDIRECTS), code="FETCH_HTTP_ERROR")
        except httpx.HTTPError as exc:
            raise FetchError(_("could not fetch {url}: {error}").format(url=url, error=f"{type(exc).__name__}: {exc}")) from None
        except OSError as exc:
            raise FetchError(_("could not fetch {url}: {error}").format(url=url, error=exc)) from None

    def _read_bounded(self, resp, url: str, deadline: float) -> bytes:
        length = resp.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > self.max_bytes:
            raise FetchError(self._too_large(url), code="FETCH_TOO_LARGE")
        chunks, total = [], 0
        for chunk in resp.iter_bytes():
            if self.monotonic() > deadline:
                raise FetchError(_("{url} took longer than {seconds} s to arrive").format(
                    url=url, seconds=f"{self.total_seconds:g}"), code="FETCH_TIMEOUT")
            total += len(chunk)
            if total > self.max_bytes:
                raise FetchError(self._too_large(url), code="FETCH_TOO_LARGE")
            chunks.append(chunk)
        return b"".join(chunks)

    def _too_large(self, url: str) -> str:
        return _("{url} is larger than {n} bytes").format(url=url, n=f"{self.max_bytes:,}")


def _with(fetched: Fetched, **changes) -> Fetched:
    from dataclasses import replace  # noqa: PLC0415

    return replace(fetched, **changes)


def http_cache_dir(home: Path) -> Path:
    """Where a HOME keeps fetched copies (status lists, registries, did.json)."""
    return Path(home) / "cache" / "http"
