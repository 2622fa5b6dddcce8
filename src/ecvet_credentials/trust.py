"""Trust registry: the institutions a verifier trusts, their roles and keys over time, and MoU partnerships.

File format (JSON), see keys-example/trust-registry.json:
    {"version": 1, "name": ..., "institutions": [{"did", "name", "country", "roles": [...],
      "keys": [{"id", "publicKeyMultibase", "validFrom", "revoked"}], "didDocument": {...}?}],
     "partnerships": [{"id", "type", "members": [did, ...], "validFrom", "validUntil"}]}
`didDocument` carries an institution's did:web document so that verifying never fetches it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from .errors import InputError
from .verify.timeutil import parse_datetime

ROLES = ("host", "home", "competent-authority", "intermediary")


@dataclass(frozen=True)
class Institution:
    did: str
    name: str
    country: str | None
    roles: tuple[str, ...]
    keys: tuple[dict, ...] = ()
    did_document: dict | None = None


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

    def institution(self, did: str) -> Institution | None:
        return self.institutions.get(did)

    def partners(self, a: str, b: str, *, at: datetime | None = None) -> Partnership | None:
        """The MoU that links institutions a and b (active at `at`), if any."""
        for p in self.partnerships:
            if a in p.members and b in p.members and p.active_at(at):
                return p
        return None

    def did_documents(self) -> dict[str, dict]:
        return {i.did: i.did_document for i in self.institutions.values() if i.did_document}


def load_trust_registry(path: str | Path) -> TrustRegistry:
    """Read and validate a trust registry file. InputError with the field path when it is malformed."""
    from .jsonld.limits import parse_json

    path = Path(path)
    data = parse_json(path.read_bytes(), source=str(path))
    return parse_trust_registry(data, source=str(path))


def parse_trust_registry(data: object, *, source: str = "trust registry") -> TrustRegistry:
    def bad(where: str, what: str) -> InputError:
        return InputError(f"{source}: {where}: {what}", code="TRUST_REGISTRY_INVALID")

    if not isinstance(data, dict) or not isinstance(data.get("institutions"), list):
        raise bad("(top level)", "expected an object with an 'institutions' list")
    registry = TrustRegistry(name=str(data.get("name", source)), source=source)
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
        registry.institutions[entry["did"]] = Institution(
            did=entry["did"], name=str(entry.get("name", entry["did"])), country=entry.get("country"),
            roles=tuple(roles), keys=tuple(entry.get("keys", [])), did_document=doc)
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
