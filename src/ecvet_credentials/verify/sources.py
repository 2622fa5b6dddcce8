"""What a verifying command checks against: the trust registry, DID documents and status lists.

One function for every command that verifies (verify, recognize, wallet, render --verify; `serve` builds
the same from its config): an explicit registry file, else the registries HOME subscribed to (refreshed
by their ttl when online), else none, and then no issuer is recognised. The bundled example registry is
used only when asked for by name (`--trust example`): example keys are published, so trusting them by
default would let anyone sign "genuine" credentials.

Status lists: this HOME's own published lists (HOME/status), then the issuer's copy fetched from the
status URL prefixes its registry entry lists (or the cache; `offline`: the cache only, with its age),
then a folder supplied with the credential (`presented`), which is never preferred to the issuer's own.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ecvet_credentials.core.errors import InputError

if TYPE_CHECKING:
    from datetime import datetime

    from ecvet_credentials.trust.registry import TrustRegistry


EXAMPLE_TRUST = "example"


@dataclass
class VerifierSetup:
    trust: object = None            # TrustRegistry | None
    resolver: object = None         # DidResolver
    status_source: object = None    # StatusListSource
    fetcher: object = None          # net.Fetcher shared by all of them

    def options(self) -> dict[str, Any]:
        return {"trust": self.trust, "resolver": self.resolver, "status_source": self.status_source}


def example_registry_path() -> Path:
    from ecvet_credentials.core.paths import data_dir

    return data_dir("keys-example") / "trust-registry.json"


def resolve_trust_path(value: str | Path | None) -> Path | None:
    """A --trust value: the word `example` (the bundled example registry), or a file."""
    if value is None:
        return None
    if str(value) == EXAMPLE_TRUST:
        return example_registry_path()
    path = Path(value)
    if not path.is_file():
        raise InputError(f"--trust {value}: no such file (give a registry file, or 'example' for the bundled "
                         "example registry).")
    return path


def verifier_setup(
    home: Path,
    *,
    trust_path: str | Path | None = None,
    trust_anchor: str | None = None,
    did_documents: Iterable[dict[str, Any]] = (),
    status_dir: Path | None = None,
    input_path: str | None = None,
    offline: bool = False,
    now: datetime | None = None,
) -> VerifierSetup:
    """Build the verifier's sources. InputError when a named file is unreadable."""
    from ecvet_credentials.crypto.dids import DidResolver
    from ecvet_credentials.net import Fetcher, http_cache_dir
    from ecvet_credentials.status.fetch import StatusListSource
    from ecvet_credentials.trust.registry import merge_registries
    from ecvet_credentials.trust.signing import load_trust_registry
    from ecvet_credentials.trust.subscriptions import load_subscribed

    home = Path(home)
    fetcher = Fetcher(cache_dir=http_cache_dir(home), offline=offline)
    documents = {d["id"]: d for d in did_documents}
    path = resolve_trust_path(trust_path)
    trust: TrustRegistry | None
    if path is not None:
        # the anchor's key comes from did:key or --did-document, never from the registry it vouches for
        trust = load_trust_registry(path, anchor=trust_anchor, resolver=DidResolver(dict(documents)))
    elif trust_anchor is not None:
        raise InputError("--trust-anchor needs a --trust registry file (subscribed registries carry their own anchor).")
    else:
        trust = merge_registries(load_subscribed(home, offline=offline, fetcher=fetcher, now=now), now=now)
    if trust is not None:
        documents.update(trust.did_documents())
    presented = status_dir or _beside(input_path)
    own = home / "status"
    # a command-line verifier asks the issuer each run (conditional GET), so a revocation counts at once
    source = StatusListSource(directory=own if own.is_dir() else None, presented=presented, fetcher=fetcher,
                              refresh_after=timedelta(0))
    return VerifierSetup(trust=trust, resolver=DidResolver(documents), status_source=source, fetcher=fetcher)


def _beside(input_path: str | None) -> Path | None:
    """A status/ folder beside IN: lists the presenter handed over with the credential."""
    if not input_path or input_path == "-":
        return None
    candidate = Path(input_path).resolve().parent / "status"
    return candidate if candidate.is_dir() else None
