"""Subscribed trust registries: a verifier follows a registry that an agency publishes at a URL.

`subscribe(home, url, anchor)` fetches it once (through the one fetcher: HTTPS, that host only), checks
the anchor's proof, and keeps the accepted copy in HOME/trust/. `refresh` fetches again when the copy is
older than the registry's `ttl` (default one day) and replaces it only by a newer signed edition: a copy
with a lower or equal `version`, a bad or missing anchor proof, or one already expired is refused and the
accepted copy kept (no rollback). `load_subscribed` gives what every verifying command uses when no
`--trust` is given, with the copy's age.

Files: HOME/trust/subscriptions.json ({"subscriptions": [{"url", "anchor", "since"}]}) and one
HOME/trust/accepted/<digest>.json per URL ({"url", "anchor", "fetchedAt", "version", "registry"}).
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from ecvet_credentials.core.errors import EcvetError, InputError
from ecvet_credentials.core.files import atomic_write_text
from ecvet_credentials.net.fetcher import Fetcher, FetchError, describe_age, host_of
from ecvet_credentials.core.timeutil import iso, parse_datetime, utc_now
from ecvet_credentials.i18n import _
from ecvet_credentials.trust.registry import TrustRegistry, parse_trust_registry

DEFAULT_TTL = timedelta(days=1)
MAX_REGISTRY_BYTES = 4 * 1024 * 1024


class SubscriptionError(EcvetError):
    code = "TRUST_SUBSCRIPTION_REFUSED"


@dataclass(frozen=True)
class Subscription:
    url: str
    anchor: str
    since: str = ""


@dataclass(frozen=True)
class Accepted:
    url: str
    anchor: str
    fetched_at: datetime
    version: int | None
    data: dict

    def age(self, now: datetime) -> timedelta:
        return now - self.fetched_at


def trust_dir(home: Path) -> Path:
    return Path(home) / "trust"


def _subs_path(home: Path) -> Path:
    return trust_dir(home) / "subscriptions.json"


def _accepted_path(home: Path, url: str) -> Path:
    return trust_dir(home) / "accepted" / (hashlib.sha256(url.encode()).hexdigest()[:40] + ".json")


def _read_json(path: Path, limit: int) -> object:
    from ecvet_credentials.jsonld.limits import Limits, parse_json

    return parse_json(path.read_bytes(), source=str(path), limits=Limits(max_bytes=limit))


def subscriptions(home: Path) -> list[Subscription]:
    path = _subs_path(home)
    if not path.is_file():
        return []
    data = _read_json(path, 1024 * 1024)
    entries = data.get("subscriptions") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise InputError(f"{path} is not a subscriptions file; remove it and subscribe again.")
    return [Subscription(e["url"], e["anchor"], e.get("since", "")) for e in entries
            if isinstance(e, dict) and isinstance(e.get("url"), str) and isinstance(e.get("anchor"), str)]


def _save_subscriptions(home: Path, subs: list[Subscription]) -> None:
    data = {"subscriptions": [{"url": s.url, "anchor": s.anchor, "since": s.since} for s in subs]}
    atomic_write_text(_subs_path(home), json.dumps(data, indent=2) + "\n")


def accepted(home: Path, url: str) -> Accepted | None:
    path = _accepted_path(home, url)
    if not path.is_file():
        return None
    entry = _read_json(path, MAX_REGISTRY_BYTES * 2)
    if not isinstance(entry, dict):
        return None
    fetched_at = parse_datetime(entry.get("fetchedAt"))
    if fetched_at is None or entry.get("url") != url or not isinstance(entry.get("registry"), dict):
        return None
    return Accepted(url, entry.get("anchor", ""), fetched_at, entry.get("version"), entry["registry"])


def _store(home: Path, sub: Subscription, data: dict, fetched_at: datetime) -> Accepted:
    entry = {"url": sub.url, "anchor": sub.anchor, "fetchedAt": iso(fetched_at), "version": data.get("version"),
             "registry": data}
    atomic_write_text(_accepted_path(home, sub.url), json.dumps(entry, ensure_ascii=False) + "\n")
    return Accepted(sub.url, sub.anchor, fetched_at, data.get("version"), data)


def check_candidate(data: object, anchor: str, current: Accepted | None, now: datetime, *, source: str) -> str | None:
    """Why a fetched registry must not replace the accepted copy (None: it may)."""
    from ecvet_credentials.trust.signing import check_anchor_proof

    try:
        registry = parse_trust_registry(data, source=source)
    except InputError as exc:
        return f"not a trust registry: {exc}"
    assert isinstance(data, dict)  # parse_trust_registry accepts nothing else
    problem = check_anchor_proof(data, anchor)
    if problem:
        return problem
    if registry.version is None:
        return "the registry has no 'version' (its edition number), so a rollback could not be detected"
    if registry.valid_until is not None and registry.valid_until < now:
        return f"the registry expired on {registry.valid_until.date().isoformat()}"
    if current is not None and current.version is not None:
        if registry.version < current.version:
            return (f"it is edition {registry.version}, older than the accepted edition {current.version}; "
                    "an older signed registry never replaces a newer one")
        if registry.version == current.version and data != current.data:
            return (f"it is edition {registry.version} like the accepted copy but differs from it; "
                    "a changed registry must carry a higher version")
    return None


def subscribe(home: Path, url: str, anchor: str, *, fetcher: Fetcher | None = None,
              now: datetime | None = None) -> Accepted:
    """Fetch the registry at `url`, check it against `anchor`, and follow it. SubscriptionError if refused."""
    if not anchor.startswith("did:"):
        raise InputError(f"--anchor {anchor!r} is not a DID; give the DID of the agency that signs the registry.")
    now = now or utc_now()
    sub = Subscription(url, anchor, iso(now))
    acc = _fetch_and_accept(home, sub, fetcher, now, current=None)
    subs = [s for s in subscriptions(home) if s.url != url] + [sub]
    _save_subscriptions(home, subs)
    return acc


def unsubscribe(home: Path, url: str) -> bool:
    subs = subscriptions(home)
    kept = [s for s in subs if s.url != url]
    if len(kept) == len(subs):
        return False
    _save_subscriptions(home, kept)
    _accepted_path(home, url).unlink(missing_ok=True)
    return True


@dataclass(frozen=True)
class RefreshResult:
    url: str
    outcome: str          # "updated" | "unchanged" | "fresh" | "refused" | "failed"
    message: str
    accepted: Accepted | None


def refresh(home: Path, *, fetcher: Fetcher | None = None, now: datetime | None = None,
            force: bool = False) -> list[RefreshResult]:
    """Fetch every subscription whose copy is older than its ttl (all with `force`)."""
    now = now or utc_now()
    results = []
    for sub in subscriptions(home):
        current = accepted(home, sub.url)
        if current is not None and not force and current.age(now) <= _ttl(current):
            results.append(RefreshResult(sub.url, "fresh", _("copy is {age} old").format(age=describe_age(current.age(now))), current))
            continue
        try:
            acc = _fetch_and_accept(home, sub, fetcher, now, current=current)
        except SubscriptionError as exc:
            results.append(RefreshResult(sub.url, "refused", f"kept the accepted copy: {exc}", current))
            continue
        except FetchError as exc:
            results.append(RefreshResult(sub.url, "failed", f"kept the accepted copy: {exc}", current))
            continue
        same = current is not None and acc.version == current.version
        results.append(RefreshResult(sub.url, "unchanged" if same else "updated", f"edition {acc.version}", acc))
    return results


def _ttl(acc: Accepted) -> timedelta:
    try:
        return parse_trust_registry(acc.data).ttl or DEFAULT_TTL
    except InputError:
        return DEFAULT_TTL


def _fetch_and_accept(home: Path, sub: Subscription, fetcher: Fetcher | None, now: datetime,
                      current: Accepted | None) -> Accepted:
    from ecvet_credentials.jsonld.limits import Limits, parse_json

    fetcher = fetcher or Fetcher(max_bytes=MAX_REGISTRY_BYTES)
    fetched = fetcher.get(sub.url, allowed_hosts={host_of(sub.url)}, now=now)  # Accept: application/json, the default
    try:
        data = parse_json(fetched.body, source=sub.url, limits=Limits(max_bytes=MAX_REGISTRY_BYTES))
    except InputError as exc:
        raise SubscriptionError(f"{sub.url}: {exc}") from None
    if current is not None and data == current.data:  # same edition, confirmed: only the age changes
        return _store(home, sub, data, now)
    problem = check_candidate(data, sub.anchor, current, now, source=sub.url)
    if problem:
        raise SubscriptionError(f"{sub.url}: {problem}")
    return _store(home, sub, data, now)


def load_subscribed(home: Path, *, offline: bool = False, fetcher: Fetcher | None = None,
                    now: datetime | None = None) -> list[TrustRegistry]:
    """The subscribed registries, refreshed first when online and past their ttl; each carries its age."""
    from ecvet_credentials.trust.signing import check_anchor_proof

    now = now or utc_now()
    subs = subscriptions(home)
    if not subs:
        return []
    if not offline:
        refresh(home, fetcher=fetcher, now=now)
    out = []
    for sub in subs:
        acc = accepted(home, sub.url)
        if acc is None:
            continue
        registry = parse_trust_registry(acc.data, source=sub.url)
        registry.anchor = sub.anchor
        problem = check_anchor_proof(acc.data, sub.anchor)  # the stored copy too: HOME may be shared
        if problem:
            registry.untrusted = problem
        else:
            registry.signed_by = sub.anchor
        stale = acc.age(now) > _ttl(acc)
        # whole sentences, so that each language can order its words
        note = (_("subscribed copy of {host}, {age} old, not refreshed: offline") if offline and stale else
                _("subscribed copy of {host}, {age} old, refresh failed") if stale else
                _("subscribed copy of {host}, {age} old"))
        registry.age_note = note.format(host=host_of(sub.url), age=describe_age(acc.age(now)))
        out.append(registry)
    return out
