"""did:key and did:web documents, and an offline-by-default resolver.

did:web key rotation (see `did_web_document`): every key the institution ever used stays listed in
`verificationMethod`; a retired key carries `revoked` (an XSD dateTime). Retired keys stay in
`assertionMethod` so credentials signed before the date keep verifying, and leave `authentication`,
`capabilityInvocation` and `capabilityDelegation`, which are about acting now. The proof engine
rejects any proof whose `created` is at or after the key's `revoked` date (KEY_REVOKED). `created` is
asserted by the signer, so a stolen key can backdate proofs: set `revoked` to the earliest moment the
key may have been exposed, and revoke affected credentials through the status list.
"""
from __future__ import annotations

import functools
import re
import urllib.parse
from dataclasses import dataclass
from typing import Iterable

from ecvet_credentials.core.errors import DidResolutionError, KeyFileError
from ecvet_credentials.core.timeutil import parse_datetime
from ecvet_credentials.crypto.keys import KeyPair, PublicKey, public_key_from_multibase

DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
RELATIONSHIPS = ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation", "keyAgreement")
# Relationships about acting now: a revoked key is removed from them.
_LIVE_RELATIONSHIPS = ("authentication", "capabilityInvocation", "capabilityDelegation")
_MAX_DID_DOC_BYTES = 256 * 1024
_DID_WEB_SEGMENT = re.compile(r"^[A-Za-z0-9._~%!$&'()*+,;=-]+$")


@dataclass(frozen=True)
class VerificationMethod:
    id: str
    type: str
    controller: str
    public_key: PublicKey
    revoked: str | None
    relationships: frozenset[str]


def _split_did(did: str) -> tuple[str, str]:
    if not isinstance(did, str) or not did.startswith("did:") or did.count(":") < 2:
        raise DidResolutionError(f"Not a DID: {did!r:.100}.", code="INVALID_DID")
    method = did.split(":", 2)[1]
    return method, did.split(":", 2)[2]


# --- did:key ----------------------------------------------------------------------------------------
def did_key_document(did: str) -> dict:
    """The DID document of a did:key (Multikey; all four signing relationships)."""
    method, value = _split_did(did)
    if method != "key" or any(c in value for c in "#?/;"):
        raise DidResolutionError(f"Not a plain did:key identifier: {did!r:.100}.", code="INVALID_DID")
    try:
        public_key_from_multibase(value)
    except KeyFileError as e:
        raise DidResolutionError(f"Invalid did:key {did!r:.100}: {e}", code="INVALID_DID") from None
    vm_id = f"{did}#{value}"
    doc = {
        "@context": list(DID_CONTEXTS),
        "id": did,
        "verificationMethod": [
            {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": value}
        ],
    }
    # keyAgreement is left out: these keys only sign (an X25519 agreement key is never derived here).
    for rel in ("authentication", "assertionMethod", "capabilityInvocation", "capabilityDelegation"):
        doc[rel] = [vm_id]
    return doc


# --- did:web ----------------------------------------------------------------------------------------
def did_web_to_url(did: str) -> str:
    """did:web:example.edu:path:x -> https://example.edu/path/x/did.json (.well-known without a path)."""
    method, value = _split_did(did)
    if method != "web" or not value or any(c in value for c in "#?/"):
        raise DidResolutionError(f"Not a plain did:web identifier: {did!r:.100}.", code="INVALID_DID")
    parts = value.split(":")
    if not all(p and _DID_WEB_SEGMENT.match(p) for p in parts):
        raise DidResolutionError(f"Malformed did:web identifier: {did!r:.100}.", code="INVALID_DID")
    host = urllib.parse.unquote(parts[0])  # a port is percent-encoded: example.edu%3A8443
    if not re.fullmatch(r"[A-Za-z0-9.-]+(:\d{1,5})?", host):
        raise DidResolutionError(f"did:web host is not a valid host name: {did!r:.100}.", code="INVALID_DID")
    path = "/".join(parts[1:])
    return f"https://{host}/{path}/did.json" if path else f"https://{host}/.well-known/did.json"


def did_web_document(did: str, keys: list[dict]) -> dict:
    """An institution's did:web document (publish at `did_web_to_url(did)` or put in the trust registry).

    keys: [{"key": PublicKey | KeyPair, "id": fragment or None, "revoked": ISO 8601 dateTime or None}].
    The fragment defaults to the key's multibase. See the module docstring for how rotation works.
    """
    did_web_to_url(did)  # validates the identifier
    if not keys:
        raise ValueError("'keys' must list at least one key")
    doc: dict = {"@context": list(DID_CONTEXTS), "id": did, "verificationMethod": []}
    rels: dict[str, list[str]] = {r: [] for r in ("authentication", "assertionMethod", *_LIVE_RELATIONSHIPS[1:])}
    for entry in keys:
        key = entry["key"]
        public = key.public_key if isinstance(key, KeyPair) else key
        if not isinstance(public, PublicKey):
            raise TypeError("each 'key' must be a PublicKey or KeyPair")
        fragment = (entry.get("id") or public.multibase).lstrip("#")
        vm_id = f"{did}#{fragment}"
        if any(vm["id"] == vm_id for vm in doc["verificationMethod"]):
            raise ValueError(f"duplicate verification method id {vm_id!r}")
        vm = {"id": vm_id, "type": "Multikey", "controller": did, "publicKeyMultibase": public.multibase}
        revoked = entry.get("revoked")
        if revoked is not None:
            if parse_datetime(revoked, zone_required=True) is None:
                raise ValueError(f"'revoked' must be an ISO 8601 dateTime with a time zone, not {revoked!r}")
            vm["revoked"] = revoked
        doc["verificationMethod"].append(vm)
        rels["assertionMethod"].append(vm_id)
        if revoked is None:
            for rel in _LIVE_RELATIONSHIPS:
                rels[rel].append(vm_id)
    doc.update({rel: ids for rel, ids in rels.items() if ids})
    return doc


# --- resolution -------------------------------------------------------------------------------------
class DidResolver:
    """Who controls a key: did:key offline, other DIDs from `documents` or their own host.

    A did:key is its own document: it is always derived from the identifier, and a document offered
    for it (by a registry, a file or an attacker) is never consulted, so no one can list their key
    under a learner's or a school's did:key. `documents` must come from a source the verifier
    trusts to speak for those DIDs: a trust registry signed by the verifier's anchor, or the
    verifier's own pinned file for its anchor (callers enforce this; see `trust.did_documents`).
    A did:web is otherwise fetched only from its own host (`did_web_to_url`), and only when that host
    is in `allow_hosts` (HTTPS only, no redirects, bounded); the fetched document's id must be the DID.
    """

    def __init__(self, documents: dict[str, dict] | None = None, *, allow_hosts: Iterable[str] = (), fetcher=None):
        self.documents: dict[str, dict] = {}
        for did, document in (documents or {}).items():
            self._hold(did, document)
        self.allow_hosts = frozenset(h.lower() for h in allow_hosts)
        self.fetcher = fetcher  # a net.Fetcher (its cache, offline mode); None: a one-off fetcher

    def add(self, document: dict) -> None:
        """Hold `document` for its DID; a did:key document is ignored (a did:key is its own document)."""
        self._hold(document.get("id") if isinstance(document, dict) else None, document)

    def _hold(self, did, document) -> None:
        # resolve() checks that a held document's id is the DID it is held for
        if isinstance(did, str) and not did.startswith("did:key:"):
            self.documents[did] = document

    def resolve(self, did: str) -> dict:
        did = did.split("#", 1)[0] if isinstance(did, str) else did
        method, _ = _split_did(did)
        if method == "key":
            return did_key_document(did)
        if did in self.documents:
            doc = self.documents[did]
        elif method == "web":
            url = did_web_to_url(did)
            host = urllib.parse.urlsplit(url).hostname or ""
            if host.lower() not in self.allow_hosts:
                raise DidResolutionError(
                    f"{did} is not in the local DID cache or trust registry, and fetching from {host} is not "
                    f"allowed; add its did.json to the trust registry or allow the host.",
                    code="DID_NOT_FOUND",
                )
            doc = self._fetch(url)
        else:
            raise DidResolutionError(
                f"DID method {method!r} is not supported offline; add the DID document to the trust registry.",
                code="UNSUPPORTED_DID_METHOD",
            )
        if not isinstance(doc, dict) or doc.get("id") != did:
            raise DidResolutionError(f"The DID document for {did} is malformed or has another id.",
                                     code="DID_DOCUMENT_INVALID")
        return doc

    def _fetch(self, url: str) -> dict:
        """GET through the one fetcher: https, this host only (no redirects elsewhere), size cap, timeout."""
        from ecvet_credentials.core.errors import InputError
        from ecvet_credentials.jsonld.limits import Limits, parse_json
        from ecvet_credentials.net import FetchError, Fetcher

        fetcher = self.fetcher or Fetcher(allowed_hosts=self.allow_hosts, max_bytes=_MAX_DID_DOC_BYTES)
        try:
            fetched = fetcher.get(url, accept="application/did+json, application/json",
                                  allowed_hosts=self.allow_hosts)
        except FetchError as e:
            raise DidResolutionError(f"Could not fetch {url}: {e}.", code="DID_FETCH_FAILED") from None
        if len(fetched.body) > _MAX_DID_DOC_BYTES:
            raise DidResolutionError(f"{url} is larger than {_MAX_DID_DOC_BYTES} bytes.", code="DID_DOCUMENT_INVALID")
        try:
            return parse_json(fetched.body, limits=Limits(max_bytes=_MAX_DID_DOC_BYTES), source=url)
        except InputError as exc:
            raise DidResolutionError(f"{url} is not a JSON DID document: {exc}", code="DID_DOCUMENT_INVALID") from None

    def verification_method(self, vm_id: str) -> VerificationMethod:
        if type(vm_id) is str and vm_id.startswith("did:key:") and len(vm_id) <= 300:
            return _did_key_method(vm_id)  # the same for every resolver: a did:key is its own document
        return self._method(vm_id)

    def _method(self, vm_id: str) -> VerificationMethod:
        if not isinstance(vm_id, str) or "#" not in vm_id:
            raise DidResolutionError(
                f"Verification method {vm_id!r:.120} is not a DID URL with a #fragment.", code="INVALID_DID"
            )
        did = vm_id.split("#", 1)[0]
        doc = self.resolve(did)

        def _abs(ref: str) -> str:
            return did + ref if ref.startswith("#") else ref

        found: dict | None = None
        for vm in doc.get("verificationMethod") or []:
            if isinstance(vm, dict) and isinstance(vm.get("id"), str) and _abs(vm["id"]) == vm_id:
                found = vm
        relationships = set()
        for rel in RELATIONSHIPS:
            for entry in doc.get(rel) or []:
                ref = entry.get("id") if isinstance(entry, dict) else entry
                if isinstance(ref, str) and _abs(ref) == vm_id:
                    relationships.add(rel)
                    if isinstance(entry, dict) and found is None:  # embedded method
                        found = entry
        if found is None:
            raise DidResolutionError(f"{did} has no verification method {vm_id}.", code="VERIFICATION_METHOD_NOT_FOUND")
        if found.get("type") != "Multikey" or not isinstance(found.get("publicKeyMultibase"), str):
            raise DidResolutionError(
                f"{vm_id} is not a Multikey with publicKeyMultibase (type {found.get('type')!r:.40}); "
                "only Multikey methods are supported.",
                code="UNSUPPORTED_VERIFICATION_METHOD",
            )
        if found.get("controller") != doc["id"]:
            # A method listed in someone else's document must not speak for them.
            raise DidResolutionError(f"{vm_id} is not controlled by {doc['id']}.", code="DID_DOCUMENT_INVALID")
        try:
            public = public_key_from_multibase(found["publicKeyMultibase"])
        except KeyFileError as e:
            raise DidResolutionError(f"{vm_id}: {e}", code=e.code) from None
        revoked = found.get("revoked")
        # A date that cannot be read (not a dateTime with zone, or no such day) makes the document invalid:
        # the key is then unresolved, never usable, and the issuer is told its document is broken.
        if revoked is not None and parse_datetime(revoked, zone_required=True) is None:
            raise DidResolutionError(f"{vm_id} has a malformed 'revoked' date.", code="DID_DOCUMENT_INVALID")
        return VerificationMethod(
            id=vm_id, type="Multikey", controller=doc["id"], public_key=public, revoked=revoked,
            relationships=frozenset(relationships),
        )


@functools.lru_cache(maxsize=1024)
def _did_key_method(vm_id: str) -> VerificationMethod:
    """A did:key verification method, derived once (a proof and the trust check each ask for it; a
    VerificationMethod is never changed). Errors are raised again each time (lru_cache keeps results only)."""
    return DidResolver()._method(vm_id)
