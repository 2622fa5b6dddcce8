"""What the routes share: the institution key, the registry, the trust registry and a verifier whose
status source answers this server's own lists from its registry (no HTTP to itself)."""
from __future__ import annotations

import contextlib
import logging
import threading
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.status.fetch import FetchedList, StatusListSource
from ecvet_credentials.status.publish import DEFAULT_TTL_MS, DEFAULT_VALIDITY, build_status_list_credential, make_signer
from ecvet_credentials.serve.config import ServeConfig

log = logging.getLogger("ecvet.serve")
RESIGN_AFTER = timedelta(hours=12)  # well inside the list's one-day ttl, so a served copy is never stale
# The registry's status list rows, read once per request cycle (a credential has a revocation and a
# suspension entry: two reads otherwise). Never kept across requests, so a revoke, here or in another
# worker, is seen by the next verification.
_cycle_lists: ContextVar[list | None] = ContextVar("ecvet_status_lists", default=None)


@dataclass
class _Signed:
    stamp: Any            # (updated_at, allocated): changes whenever a bit (or the list) changes
    signed_at: datetime
    fetched: FetchedList  # kept whole: check_status memoises the list's proof check on it


class OwnStatusLists:
    """Signed BitstringStatusListCredentials of this issuer, signed on demand and cached until the
    registry row changes (a revoke/suspend bumps updated_at) or the copy is 12 h old."""

    def __init__(self, registry, key, cryptosuite: str):
        self.registry, self.key = registry, key
        self.sign = make_signer(key, cryptosuite=cryptosuite)
        self._cache: dict[str, _Signed] = {}
        self._lock = threading.Lock()

    @contextlib.contextmanager
    def request_cycle(self):
        """Within it, the registry's status list rows are read at most once."""
        token = _cycle_lists.set([])
        try:
            yield
        finally:
            _cycle_lists.reset(token)

    def _status_lists(self):
        memo = _cycle_lists.get()
        if memo is None:
            return self.registry.status_lists()
        if not memo:
            memo.append(self.registry.status_lists())
        return memo[0]

    def _info(self, *, list_id: str | None = None, url: str | None = None):
        for info in self._status_lists():
            if info.issuer_did == self.key.did and (info.list_id == list_id or info.url == url):
                return info
        return None

    def by_id(self, list_id: str) -> dict | None:
        hit = self._get(self._info(list_id=list_id))
        return hit.document if hit else None

    def by_url(self, url: str) -> FetchedList | None:
        return self._get(self._info(url=url))

    def _get(self, info) -> FetchedList | None:
        if info is None:
            return None
        now = utc_now()
        stamp = (info.updated_at, info.allocated)
        with self._lock:
            hit = self._cache.get(info.list_id)
            # Reused only when the row last changed strictly before the copy was signed: a change at the
            # very instant of the signing (a coarse or frozen clock) leaves updated_at as it was, so such
            # a copy is signed afresh rather than trusted (reading the bits instead costs 20 % of a verify).
            if (hit and hit.stamp == stamp and info.updated_at < hit.signed_at
                    and timedelta(0) <= now - hit.signed_at < RESIGN_AFTER):
                return hit.fetched
        doc = build_status_list_credential(info.url, info.issuer_did, info.purpose,
                                           self.registry.status_list_bits(info.list_id), valid_from=now,
                                           valid_until=now + DEFAULT_VALIDITY, ttl_ms=DEFAULT_TTL_MS)
        fetched = FetchedList(info.url, self.sign(doc), "directory", None)
        with self._lock:
            self._cache[info.list_id] = _Signed(stamp, now, fetched)
        return fetched


class ServerStatusSource(StatusListSource):
    """The verifier's status source: this server's own lists first, then the configured directory,
    cache and allowed hosts (StatusListSource rules)."""

    def __init__(self, own: OwnStatusLists | None, **kw):
        super().__init__(**kw)
        self.own = own

    def get(self, url: str, *, now=None, max_age=None, allowed_prefixes=None) -> FetchedList:
        if self.own is not None:
            hit = self.own.by_url(url)
            if hit is not None:
                return hit
        return super().get(url, now=now, max_age=max_age, allowed_prefixes=allowed_prefixes)


class Service:
    def __init__(self, config: ServeConfig):
        from ecvet_credentials.crypto.dids import DidResolver
        from ecvet_credentials.ecvet.issue import default_cryptosuite
        from ecvet_credentials.crypto.keys import load_key_file
        from ecvet_credentials.trust.signing import load_trust_registry
        from ecvet_credentials.core.timeutil import parse_duration

        self.config = config
        self.key = load_key_file(config.key_path(), passphrase=config.passphrase())
        if config.is_example_key():
            log.warning("issuing with the bundled EXAMPLE key %s: never use it for real credentials", self.key.did)
        self.cryptosuite = config.cryptosuite or default_cryptosuite(self.key)
        if "generic" in config.profiles:
            log.warning("issuer.profiles includes 'generic': any VC 2.0 or 1.1 credential posted with the API token is "
                        "signed with %s (meant for interop test runs)", self.key.did)
        self.registry = None
        if config.registry:
            from ecvet_credentials.registry.store import Registry

            self.registry = Registry.open(config.db, home=config.home)
        self.trust = None
        documents: dict = {}
        trust_path = config.trust_path()
        if trust_path is not None:
            self.trust = load_trust_registry(trust_path, anchor=config.trust_anchor)
        elif config.home is not None:  # no [trust] registry: HOME's subscriptions (none: nobody recognised)
            from ecvet_credentials.trust.registry import merge_registries
            from ecvet_credentials.trust.subscriptions import load_subscribed

            self.trust = merge_registries(load_subscribed(config.home))
        if self.trust is not None:
            documents.update(self.trust.did_documents())
        if self.trust is None:
            log.warning("no trust registry ([trust] registry, or `ecvet trust subscribe`): no issuer is recognised")
        self.resolver = DidResolver(documents)
        self.own_lists = OwnStatusLists(self.registry, self.key, self.cryptosuite) if self.registry else None
        from ecvet_credentials.net import Fetcher, http_cache_dir

        # Lists are fetched only from the issuer's registry-listed prefixes or status.allowed_hosts.
        fetcher = Fetcher(cache_dir=http_cache_dir(config.home) if config.home else None,
                          allowed_hosts=config.status_allowed_hosts, timeout=10.0)
        self.status_source = ServerStatusSource(self.own_lists, presented=config.status_directory, fetcher=fetcher)
        self.status_max_age = parse_duration(config.status_max_age) if config.status_max_age else None
        self.token = config.api_token()

    def close(self) -> None:
        if self.registry is not None:
            self.registry.close()

    def verify(self, document: Any, *, checks=None, challenge=None, domain=None, agreement=None, mou=None):
        from ecvet_credentials.verify import verify_credential

        generic = self.config.verify_checks is not None and not _claims_ecvet(document)
        if checks is None and generic:
            checks = self.config.verify_checks  # [verify] checks: the VC-API default for generic documents
        with self.own_lists.request_cycle() if self.own_lists else contextlib.nullcontext():
            return verify_credential(document, checks=checks, challenge=challenge, domain=domain, agreement=agreement,
                                     mou=mou, inline_contexts=self.config.verify_inline_contexts, generic_presentations=generic,
                                     trust=self.trust, resolver=self.resolver, status_source=self.status_source,
                                     status_optional=self.config.status_optional, status_max_age=self.status_max_age,
                                     offline=not self.config.status_allowed_hosts)


def _claims_ecvet(document) -> bool:
    """An ECVET credential, or a presentation carrying one: these keep the full ECVET policy."""
    from ecvet_credentials.verify.presentation import carries_ecvet

    return isinstance(document, dict) and carries_ecvet(document)
