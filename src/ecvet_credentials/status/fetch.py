"""Verifier side: where a `statusListCredential` URL is read from.

Order: the verifier's own publish directory (`directory`, e.g. HOME/status), then the issuer's copy
through the one fetcher (`net.Fetcher`: a cached copy within the list's ttl, else the network, only
over HTTPS and only from allowed hosts, else a stale cached copy), then a folder the presenter supplied
(`presented`): a list handed over with the credential is never better than the issuer's own, so it is
used only when the issuer's copy cannot be had, or is an older version than the presented one.
Offline: directories and the cache of any age (check_status reports the age).

Allowed hosts: per call, the hosts of the status URL prefixes that the issuer's trust registry entry
lists (`allowed_prefixes`); without a registry entry, the source's own `allowed_hosts` (configuration).
Nothing is fetched implicitly: with no allowed host the network is never touched.
"""
from __future__ import annotations

import errno
import os
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from stat import S_ISREG
from typing import Any, Iterable

from ecvet_credentials.core.errors import InputError, LimitExceededError, StatusListError, StatusListUnavailableError
from ecvet_credentials.core.files import read_bounded
from ecvet_credentials.i18n import _
from ecvet_credentials.jsonld.limits import Limits, parse_json
from ecvet_credentials.net.fetcher import FetchError, FetchRefused, Fetcher, LOOPBACK_HOSTS, host_of  # noqa: F401 (re-export)
from ecvet_credentials.core.timeutil import parse_datetime, utc_now
from ecvet_credentials.status.cache import DEFAULT_MAX_DOC_BYTES
from ecvet_credentials.status.publish import INDEX_FILE, read_index

ACCEPT = "application/vc, application/vc+ld+json;q=0.9, application/ld+json;q=0.8, application/json;q=0.7"
MAX_DIRECTORY_FILES = 2000  # a folder of list credentials read by their ids: bounded scan


@dataclass
class FetchedList:
    url: str
    document: dict[str, Any]
    origin: str                      # "directory" | "presented" | "cache" | "network"
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


def prefix_matches(url: str, prefix: str) -> bool:
    """`url` lies under `prefix` (a path boundary: .../status never covers .../status-evil)."""
    base = prefix if prefix.endswith("/") else prefix + "/"
    return url.startswith(base) and host_of(url) == host_of(prefix)


class _ListFolder:
    """A folder of list credentials: the publish layout (index.json) or any *.json files, by their ids."""

    def __init__(self, directory: Path, origin: str, max_bytes: int):
        self.directory = Path(directory)
        self.origin = origin
        self.max_bytes = max_bytes
        self._memory: dict[str, tuple[Any, FetchedList]] = {}
        self._index_memo: tuple[Any, dict[str, str]] | None = None
        # Paths made once: every credential checked asks for them again (each stat is still made).
        self._index_path = self.directory / INDEX_FILE
        self._paths: dict[str, Path] = {}

    def get(self, url: str) -> FetchedList | None:
        try:
            name = self._ids().get(url)
        except (OSError, ValueError):
            return None
        if name is None:
            return None
        path = self._paths.get(name)
        if path is None:
            if len(self._paths) >= MAX_DIRECTORY_FILES:
                self._paths.clear()
            path = self._paths[name] = self.directory / Path(name).name  # never leave the directory
        try:
            stat = os.stat(path)
        except OSError:
            return None
        stamp = (stat.st_mtime_ns, stat.st_size)
        hit = self._memory.get(url)
        if hit and hit[0] == stamp:
            return hit[1]
        if stat.st_size > self.max_bytes:
            raise LimitExceededError(_("status list file {path} is larger than {n} bytes").format(path=path, n=self.max_bytes))
        doc = _parse_json(read_bounded(path, max_bytes=self.max_bytes, source=_("status list file {path}").format(path=path),
                                       error=StatusListError), url)
        fetched = FetchedList(url, doc, self.origin, None)
        self._memory[url] = (stamp, fetched)
        return fetched

    def _ids(self) -> dict[str, str]:
        """url -> file name, re-read only when the folder changed (a publisher may rewrite it)."""
        stat = _file_stat(self._index_path)
        if stat is not None:
            stamp: tuple[object, ...] = ("index", stat.st_mtime_ns, stat.st_size)
            if self._index_memo is None or self._index_memo[0] != stamp:
                try:
                    lists = read_index(self.directory)["lists"]
                    ids = {u: e["file"] for u, e in lists.items()
                           if isinstance(e, dict) and isinstance(e.get("file"), str)}
                except ValueError:  # the index is only a shortcut: an unreadable one means a scan
                    ids = self._scan()
                self._index_memo = (stamp, ids)
            return self._index_memo[1]
        stamp = ("scan", self.directory.stat().st_mtime_ns)
        if self._index_memo is None or self._index_memo[0] != stamp:
            self._index_memo = (stamp, self._scan())
        return self._index_memo[1]

    def _scan(self) -> dict[str, str]:
        ids: dict[str, str] = {}
        for n, path in enumerate(sorted(self.directory.glob("*.json"))):
            if n >= MAX_DIRECTORY_FILES:
                break
            try:
                doc = _parse_json(read_bounded(path, max_bytes=self.max_bytes, error=StatusListError), str(path))
            except (OSError, StatusListError, LimitExceededError):
                continue
            types: list[Any] = doc["type"] if isinstance(doc.get("type"), list) else [doc.get("type")]
            if "BitstringStatusListCredential" in types and isinstance(doc.get("id"), str):
                ids.setdefault(doc["id"], path.name)
        return ids


def _file_stat(path: Path) -> os.stat_result | None:
    """The stat of `path` if it is a regular file, else None: Path.is_file() then Path.stat() in one
    system call (errors other than "not there" still raise, as is_file's do)."""
    try:
        stat = os.stat(path)
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP):
            return None
        raise
    except ValueError:  # e.g. a NUL in the path
        return None
    return stat if S_ISREG(stat.st_mode) else None


class StatusListSource:
    def __init__(
        self,
        *,
        directory: Path | None = None,
        presented: Path | None = None,
        cache_dir: Path | None = None,
        allowed_hosts: Iterable[str] = (),
        offline: bool = False,
        timeout: float = 10.0,
        max_bytes: int = DEFAULT_MAX_DOC_BYTES,
        allow_http_loopback: bool = False,
        fetcher: Fetcher | None = None,
        refresh_after: timedelta | None = None,
    ):
        """`refresh_after`: how old a copy from an earlier run may be before the issuer is asked again
        (a conditional request: a 304 costs no body). None follows the list's ttl (a long-running
        server); timedelta(0) asks every run (a command-line verifier: a revocation counts at once),
        while one run still fetches each list once."""
        self.refresh_after = refresh_after
        self.directory = Path(directory) if directory else None
        self.max_bytes = max_bytes
        self._own = _ListFolder(directory, "directory", max_bytes) if directory else None
        self._presented = _ListFolder(presented, "presented", max_bytes) if presented else None
        self.fetcher = fetcher or Fetcher(cache_dir=cache_dir, allowed_hosts=allowed_hosts, offline=offline,
                                          timeout=timeout, max_bytes=max_bytes, allow_http_loopback=allow_http_loopback)
        self.offline = self.fetcher.offline
        self._memory: dict[str, FetchedList] = {}

    # --- public ---------------------------------------------------------------------------------
    def get(self, url: str, *, now: datetime | None = None, max_age: timedelta | None = None,
            allowed_prefixes: Iterable[str] | None = None) -> FetchedList:
        """The list credential for `url`. Raises StatusListUnavailableError when none can be had.

        `allowed_prefixes`: the status URL prefixes the issuer's registry entry lists; the network is
        used only for a URL under one of them (None: the source's configured allowed hosts)."""
        now = now or utc_now()
        local = self._own.get(url) if self._own else None
        if local is not None:
            return local
        presented = self._presented.get(url) if self._presented else None
        try:
            issuers = self._issuer_copy(url, now, max_age, allowed_prefixes)
        except StatusListUnavailableError as exc:
            if presented is None:
                raise
            presented.note = _("list supplied with the credential, not fetched from the issuer ({error})").format(error=exc)
            return presented
        if presented is not None and issuers.origin == "cache" and _newer(presented.document, issuers.document):
            presented.note = _("list supplied with the credential (newer than the cached copy of the issuer's list)")
            return presented
        return issuers

    def refusal(self, url: str, allowed_prefixes: Iterable[str] | None = None) -> str | None:
        """Why `url` may not be fetched, or None if it may."""
        if allowed_prefixes is not None:
            prefixes = [p for p in allowed_prefixes if prefix_matches(url, p)]
            if not prefixes:
                return _("status list {url} is not under a status URL the trust registry lists for its issuer; "
                         "nothing was requested").format(url=url)
            why = self.fetcher.refusal(url, {host_of(p) for p in prefixes})
        else:
            why = self.fetcher.refusal(url)
        return None if why is None else _("status list {reason}").format(reason=why)

    # --- the issuer's copy ------------------------------------------------------------------------
    def _issuer_copy(self, url, now, max_age, allowed_prefixes) -> FetchedList:  # noqa: ANN001
        refusal = None if self.offline else self.refusal(url, allowed_prefixes)
        if refusal is not None:
            cached = self.fetcher.cached(url)
            if cached is None:
                raise StatusListUnavailableError(refusal, code="STATUS_FETCH_REFUSED")
            return self._wrap(url, cached, _("cached copy ({reason})").format(reason=refusal))
        hosts = None
        if allowed_prefixes is not None:
            hosts = {host_of(p) for p in allowed_prefixes if prefix_matches(url, p)}
        if self.refresh_after is not None:
            hit = self._memory.get(url)
            if hit is not None and hit.origin == "network" and now - hit.fetched_at <= timedelta(minutes=10):
                return hit  # fetched during this run
        cached = self.fetcher.cached(url)
        ttl_limit = None
        if cached is not None and self.refresh_after is not None:
            ttl_limit = self.refresh_after
        elif cached is not None:
            try:
                ttl_limit = freshness_limit(_parse_json(cached.body, url), max_age)
            except StatusListError:
                ttl_limit = None
        try:
            fetched = self.fetcher.get(url, accept=ACCEPT, max_age=ttl_limit, allowed_hosts=hosts, now=now)
        except FetchRefused as exc:
            raise StatusListUnavailableError(_("status list {reason}").format(reason=exc), code="STATUS_FETCH_REFUSED") from None
        except FetchError as exc:
            code = "STATUS_LIST_UNAVAILABLE" if self.offline else "STATUS_FETCH_FAILED"
            if exc.code == "FETCH_TOO_LARGE":
                raise LimitExceededError(str(exc)) from None
            raise StatusListUnavailableError(_("could not fetch status list {url}: {error}").format(url=url, error=exc),
                                             code=code) from None
        return self._wrap(url, fetched, fetched.note)

    def _wrap(self, url: str, fetched, note: str | None) -> FetchedList:  # noqa: ANN001
        key = (url, fetched.fetched_at, fetched.origin)
        hit = self._memory.get(url)
        if hit is not None and hit.memo.get("_key") == key:
            hit.note = note
            return hit
        out = FetchedList(url, _parse_json(fetched.body, url), fetched.origin, fetched.fetched_at, note)
        out.memo["_key"] = key
        self._memory[url] = out
        return out


def _newer(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """List `a` was issued after list `b` (by validFrom); unknown dates are never newer."""
    fa, fb = parse_datetime(a.get("validFrom")), parse_datetime(b.get("validFrom"))
    return fa is not None and (fb is None or fa > fb)


def _parse_json(data: bytes, url: str) -> dict[str, Any]:
    try:  # the one bounded parse (depth, values), with room for the largest lists
        doc = parse_json(data, limits=Limits(max_bytes=max(len(data), 1)), source=_("status list {url}").format(url=url))
    except InputError as exc:
        raise StatusListError(_("status list {url} is not JSON: {error}").format(url=url, error=exc),
                              code="STATUS_LIST_NOT_JSON") from None
    if not isinstance(doc, dict):
        raise StatusListError(_("status list {url} is not a JSON object").format(url=url), code="STATUS_LIST_NOT_JSON")
    return doc
