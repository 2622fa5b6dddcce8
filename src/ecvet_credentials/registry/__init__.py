"""The issuer registry (DESIGN section 5): issued credentials, status lists, audit log.

SQLite by default (one file in the data directory), PostgreSQL via a URL; the same SQLAlchemy Core code.
The issuance protocol (reserve -> sign -> record) is described in `store`.
"""
from __future__ import annotations

from .engine import default_home
from .records import Allocation, AuditEntry, CredentialRecord, StatusListInfo, StatusRef, credential_digest
from .store import Registry

__all__ = [
    "Allocation", "AuditEntry", "CredentialRecord", "Registry", "StatusListInfo", "StatusRef",
    "credential_digest", "default_home",
]
