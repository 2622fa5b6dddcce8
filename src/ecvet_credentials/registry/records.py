"""The registry's records: what was issued (credential, status references, allocation) and the audit
trail, as plain frozen dataclasses that callers can keep after the transaction."""
from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from typing import Any

from ecvet_credentials.status.entries import PURPOSES, status_entries


@dataclass(frozen=True)
class StatusRef:
    list_id: str
    url: str
    index: int


@dataclass(frozen=True)
class Allocation:
    """What issuance needs from step 1; ``created`` is False when a re-run found the row recorded."""

    credential_id: str
    batch_id: str | None
    row_key: str | None
    status: dict[str, StatusRef]
    entries: list[dict[str, Any]]
    digest: str | None
    created: bool

    @property
    def issued(self) -> bool:
        return self.digest is not None


@dataclass(frozen=True)
class CredentialRecord:
    credential_id: str
    credential_type: str
    issuer_did: str
    digest: str | None
    revocation: StatusRef
    suspension: StatusRef
    revoked_at: datetime | None
    suspended: bool
    reserved_at: datetime
    issued_at: datetime | None
    batch_id: str | None
    row_key: str | None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def state(self) -> str:
        if self.revoked_at:
            return "revoked"
        if self.suspended:
            return "suspended"
        return "issued" if self.digest else "reserved"

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        for key in ("revoked_at", "reserved_at", "issued_at"):
            out[key] = iso_utc(out[key])
        out["state"] = self.state
        return out


@dataclass(frozen=True)
class StatusListInfo:
    list_id: str
    purpose: str
    url: str
    issuer_did: str
    size: int
    capacity: int
    allocated: int
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    credential_id: str
    action: str
    who: str
    at: datetime
    reason: str

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "at": iso_utc(self.at)}


def credential_digest(signed: dict | bytes) -> str:
    """sha256 hex of a signed credential: of the exact bytes if given, else of its JCS (RFC 8785) form."""
    if isinstance(signed, (bytes, bytearray)):
        return hashlib.sha256(signed).hexdigest()
    from ecvet_credentials.jsonld.jcs import jcs  # noqa: PLC0415

    return hashlib.sha256(jcs(signed)).hexdigest()



def allocation(cred_id, batch_id, row_key, status, digest, *, created) -> Allocation:  # noqa: ANN001
    entries = status_entries({p: status[p].url for p in PURPOSES}, {p: status[p].index for p in PURPOSES}, cred_id)
    return Allocation(cred_id, batch_id, row_key, status, entries, digest, created)


def iso_utc(dt: datetime | None) -> str | None:
    return None if dt is None else dt.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")


def jsonable(d: dict) -> dict:
    return {k: iso_utc(v) if isinstance(v, datetime) else v for k, v in d.items()}

