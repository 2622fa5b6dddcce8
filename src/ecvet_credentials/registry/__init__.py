"""The issuer registry (DESIGN section 5): issued credentials, status lists, audit log.

SQLite by default (one file in the data directory), PostgreSQL via a URL; the same SQLAlchemy Core code.
The issuance protocol (reserve -> sign -> record) is described in `store`.
"""
from __future__ import annotations

from ecvet_credentials.registry.engine import default_home
from ecvet_credentials.registry.records import (
    Allocation,
    AuditEntry,
    CredentialRecord,
    StatusListInfo,
    StatusRef,
    credential_digest,
)
from ecvet_credentials.registry.store import Registry

__all__ = [
    "Allocation", "AuditEntry", "CredentialRecord", "Registry", "StatusListInfo", "StatusRef",
    "credential_digest", "default_home",
]
