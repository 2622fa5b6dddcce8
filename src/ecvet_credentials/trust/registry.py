"""Trust registry: the institutions a verifier trusts, their roles and keys over time, and MoU partnerships.

File format (JSON), see keys-example/trust-registry.json:
    {"version": 1, "name": ..., "validUntil": ...?, "ttl": "1d"?,
     "institutions": [{"did", "name", "country", "roles": [...],
      "keys": [{"id", "publicKeyMultibase", "validFrom", "revoked"}], "didDocument": {...}?,
      "statusListPrefixes": ["https://school.example/status/"]?}],
     "partnerships": [{"id", "type", "members": [did, ...], "validFrom", "validUntil"}],
     "proof": {...}?}
`didDocument` carries an institution's did:web document so that verifying never fetches it.
`keys` is the institution's key history: a proof made with a listed key before its `validFrom` or at or
after its `revoked` date is not accepted (so old credentials keep verifying after a rotation). An
institution with an empty `keys` list has no key policy (any key of its DID).
`version` is the registry's edition (an integer that grows with every published change: a subscriber
never replaces a copy by an older or equal edition), `validUntil` when it stops counting, and `ttl`
how often subscribers refresh it. `statusListPrefixes` are the only places a verifier fetches that
institution's status lists from.

Signing (trust_sign.py): a trust anchor (e.g. a national agency) signs the file with a Data Integrity
proof over its JSON (eddsa-jcs-2022 / ecdsa-jcs-2019). The registry is plain JSON, not JSON-LD (no
@context): JCS covers every byte, so every field, known to this version or not, is signed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.core.timeutil import parse_datetime, parse_duration

ROLES = ("host", "home", "competent-authority", "intermediary")


@dataclass(frozen=True)
class TrustedKey:
    id: str
    public_key_multibase: str | None
    valid_from: datetime | None
    revoked: datetime | None


@dataclass(frozen=True)
class Institution:
    did: str
    name: str
    country: str | None
    roles: tuple[str, ...]
    keys: tuple[TrustedKey, ...] = ()
    did_document: dict | None = None
    status_prefixes: tuple[str, ...] = ()

    def key(self, vm_id: str) -> TrustedKey | None:
        for entry in self.keys:
            full = self.did + entry.id if entry.id.startswith("#") else entry.id
            if full == vm_id:
                return entry
        return None

    def key_problem(self, vm_id: str, created: datetime | None, *, multibase: str | None = None) -> tuple[str, str] | None:
        """Why a proof by `vm_id` made at `created` is not acceptable under this key history (None: fine).

        `multibase` is the public key the proof verified with; it must be the one listed.
        """
        if not self.keys:
            return None
        entry = self.key(vm_id)
        if entry is None or (multibase and entry.public_key_multibase and multibase != entry.public_key_multibase):
            return ("KEY_NOT_LISTED", f"{self.name} does not list the key {vm_id} in the trust registry; "
                    "do not accept it unless the institution confirms the key.")
        when = created.isoformat() if created else "an unknown time"
        if entry.revoked and (created is None or created >= entry.revoked):
            return ("KEY_REVOKED", f"{self.name} revoked the key {vm_id} on {entry.revoked.isoformat()} and this proof "
                    f"was made at {when}; do not accept it, ask the institution to re-issue with its current key.")
        if entry.valid_from and (created is None or created < entry.valid_from):
            return ("KEY_NOT_YET_VALID", f"The proof was made at {when}, before {self.name}'s key {vm_id} "
                    f"was valid ({entry.valid_from.isoformat()}); do not accept it.")
        return None


@dataclass(frozen=True)
class Partnership:
    id: str
    type: str
    members: frozenset[str]
    valid_from: datetime | None
    valid_until: datetime | None

    def active_at(self, when: datetime | None) -> bool:
        if when is None:
            return True
        return (self.valid_from is None or self.valid_from <= when) and (self.valid_until is None or when <= self.valid_until)


@dataclass
class TrustRegistry:
    name: str
    institutions: dict[str, Institution] = field(default_factory=dict)
    partnerships: list[Partnership] = field(default_factory=list)
    source: str = ""
    anchor: str | None = None           # the trust anchor the caller required, if any
    signed_by: str | None = None        # the anchor whose proof verified
    untrusted: str | None = None        # why the registry must not be used (bad or missing anchor proof)
    version: int | None = None          # the edition (see the module docstring)
    valid_until: datetime | None = None
    ttl: timedelta | None = None        # how often a subscriber refreshes it
    age_note: str | None = None         # e.g. "subscribed copy, 3 h old (offline)"

    def institution(self, did: str) -> Institution | None:
        return self.institutions.get(did)

    def partners(self, a: str, b: str, *, at: datetime | None = None) -> Partnership | None:
        """The MoU that links institutions a and b (active at `at`), if any."""
        for p in self.partnerships:
            if a in p.members and b in p.members and p.active_at(at):
                return p
        return None

    def partnership_during(self, a: str, b: str, start: datetime, end: datetime) -> Partnership | None:
        """The MoU partnership linking a and b for the whole of [start, end] (the mobility), if any."""
        return next((p for p in self.partnerships if a in p.members and b in p.members
                     and p.active_at(start) and p.active_at(end)), None)

    def did_documents(self) -> dict[str, dict]:
        """The did:web (non-did:key) documents this registry vouches for: only when it is signed by the
        verifier's anchor. Anyone can write an unsigned file, so its documents never decide who
        controls a key; a did:key is its own document and is never taken from a registry."""
        if self.untrusted or self.signed_by is None:
            return {}
        return {i.did: i.did_document for i in self.institutions.values()
                if i.did_document and not i.did.startswith("did:key:")}


def parse_trust_registry(data: object, *, source: str = "trust registry") -> TrustRegistry:
    def bad(where: str, what: str) -> InputError:
        return InputError(f"{source}: {where}: {what}", code="TRUST_REGISTRY_INVALID")

    if not isinstance(data, dict) or not isinstance(data.get("institutions"), list):
        raise bad("(top level)", "expected an object with an 'institutions' list")
    registry = TrustRegistry(name=str(data.get("name", source)), source=source)
    version = data.get("version")
    if version is not None and (isinstance(version, bool) or not isinstance(version, int) or version < 0):
        raise bad("version", "must be a non-negative integer (the registry's edition)")
    registry.version = version
    if data.get("validUntil") is not None:
        registry.valid_until = parse_datetime(data["validUntil"])
        if registry.valid_until is None:
            raise bad("validUntil", f"{data['validUntil']!r} is not an ISO 8601 date-time")
    if data.get("ttl") is not None:
        registry.ttl = parse_duration(data["ttl"])
        if registry.ttl is None:
            raise bad("ttl", f"{data['ttl']!r} is not a duration like 1d or 12h")
    for n, entry in enumerate(data["institutions"]):
        where = f"institutions[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("did"), str) or not entry["did"].startswith("did:"):
            raise bad(where, "each institution needs a 'did' starting with did:")
        roles = entry.get("roles", [])
        if not isinstance(roles, list) or any(r not in ROLES for r in roles):
            raise bad(f"{where}.roles", f"roles must be a list of {', '.join(ROLES)}")
        doc = entry.get("didDocument")
        if doc is not None and (not isinstance(doc, dict) or doc.get("id") != entry["did"]):
            raise bad(f"{where}.didDocument", "the DID document's id must equal the institution's did")
        prefixes = entry.get("statusListPrefixes", [])
        if not isinstance(prefixes, list) or any(not isinstance(p, str) or not p.startswith(("https://", "http://"))
                                                 for p in prefixes):
            raise bad(f"{where}.statusListPrefixes", "must be a list of http(s) URLs")
        registry.institutions[entry["did"]] = Institution(
            did=entry["did"], name=str(entry.get("name", entry["did"])), country=entry.get("country"),
            roles=tuple(roles), keys=_parse_keys(entry.get("keys", []), f"{where}.keys", bad), did_document=doc,
            status_prefixes=tuple(prefixes))
    for n, entry in enumerate(data.get("partnerships", [])):
        where = f"partnerships[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("members"), list):
            raise bad(where, "each partnership needs a 'members' list of DIDs")
        dates = {}
        for key in ("validFrom", "validUntil"):
            if entry.get(key) is not None:
                dates[key] = parse_datetime(entry[key])
                if dates[key] is None:
                    raise bad(f"{where}.{key}", f"{entry[key]!r} is not an ISO 8601 date-time")
        registry.partnerships.append(Partnership(
            id=str(entry.get("id", where)), type=str(entry.get("type", "MoU")), members=frozenset(entry["members"]),
            valid_from=dates.get("validFrom"), valid_until=dates.get("validUntil")))
    return registry


def _parse_keys(keys: object, where: str, bad) -> tuple[TrustedKey, ...]:
    if not isinstance(keys, list):
        raise bad(where, "keys must be a list")
    out = []
    for n, entry in enumerate(keys):
        at = f"{where}[{n}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str) or not entry["id"]:
            raise bad(at, "each key needs an 'id' (its verification method id)")
        multibase = entry.get("publicKeyMultibase")
        if multibase is not None and not isinstance(multibase, str):
            raise bad(f"{at}.publicKeyMultibase", "must be a string")
        dates = {}
        for name in ("validFrom", "revoked"):
            value = entry.get(name)
            dates[name] = parse_datetime(value)  # None for an absent date
            if value is not None and dates[name] is None:
                raise bad(f"{at}.{name}", f"{value!r} is not an ISO 8601 date-time")
        out.append(TrustedKey(entry["id"], multibase, dates["validFrom"], dates["revoked"]))
    return tuple(out)


def merge_registries(registries: list[TrustRegistry], *, now: datetime | None = None) -> TrustRegistry | None:
    """Several trusted registries (e.g. two subscriptions) as one. Unusable ones (an anchor proof that
    failed, or expired at `now`) are left out; the first registry naming an institution wins."""
    usable = [r for r in registries if not r.untrusted and not (now and r.valid_until and r.valid_until < now)]
    if not registries:
        return None
    if len(registries) == 1:
        return registries[0]
    if not usable:
        return registries[0]
    merged = TrustRegistry(name=" + ".join(r.name for r in usable), source=", ".join(r.source for r in usable))
    for registry in usable:
        for did, institution in registry.institutions.items():
            merged.institutions.setdefault(did, institution)
        merged.partnerships.extend(registry.partnerships)
    anchors = sorted({r.signed_by for r in usable if r.signed_by})
    merged.signed_by = ", ".join(anchors) or None
    merged.age_note = "; ".join(r.age_note for r in usable if r.age_note) or None
    return merged
