"""Issuer registry tables (SQLAlchemy Core; the same DDL on SQLite and PostgreSQL).

This module describes the *latest* schema. migrations.py creates it (version 1) and must gain an
explicit step for every later change: never edit a released migration.

Personal data: none. A credential is known by its id, type, digest and status indexes, which is
all that revoking it needs; names, dates of birth and grades stay in the issued files. A batch row
key (for a cohort: the learner number) is stored only as a salted digest (HMAC-SHA256 with the
registry's own salt, kept in `ecvet_registry_settings`; see privacy.py), and so is a row's content.
Evaluation facts (migration 3) add per credential the partners, year, unit counts and the texts of the
outcomes not achieved, with the learner as such a digest: pseudonymous, linked to a person only by whoever
also holds the credential file.
"""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator):
    """Aware UTC datetimes on both backends (SQLite has no time zones: store naive UTC, read back aware)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("registry datetimes must be timezone-aware")
        value = value.astimezone(timezone.utc)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value, dialect):  # noqa: ANN001
        if value is None:
            return None
        if isinstance(value, str):  # defensive: raw SQLite text
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=timezone.utc) if value.tzinfo is None else value.astimezone(timezone.utc)


metadata = MetaData()

schema_version = Table(
    "ecvet_schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", String(200), nullable=False),
    Column("applied_at", UtcDateTime, nullable=False),
)

status_lists = Table(
    "ecvet_status_lists",
    metadata,
    Column("list_id", String(64), primary_key=True),      # "<purpose>-<seq>", also the file name
    Column("purpose", String(16), nullable=False),        # revocation | suspension
    Column("seq", Integer, nullable=False),
    Column("url", String(512), nullable=False, unique=True),
    Column("base_url", String(512), nullable=False),
    Column("issuer_did", String(512), nullable=False),
    Column("size", Integer, nullable=False),              # bits
    Column("capacity", Integer, nullable=False),          # allocations before the next list is opened
    Column("allocated", Integer, nullable=False),
    Column("bits", LargeBinary, nullable=False),          # the raw bitstring (size / 8 bytes)
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
    # Two issuers racing to open the next list collide here and one retries.
    UniqueConstraint("purpose", "seq", name="uq_ecvet_status_lists_purpose_seq"),
)
Index("ix_ecvet_status_lists_open", status_lists.c.issuer_did, status_lists.c.purpose, status_lists.c.base_url)

status_indexes = Table(
    "ecvet_status_indexes",
    metadata,
    Column("list_id", String(64), ForeignKey("ecvet_status_lists.list_id"), nullable=False),
    Column("idx", Integer, nullable=False),
    Column("credential_id", String(256), nullable=False),
    Column("allocated_at", UtcDateTime, nullable=False),
    # The guarantee that an index is never given twice, even across processes and hosts.
    PrimaryKeyConstraint("list_id", "idx", name="pk_ecvet_status_indexes"),
)

credentials = Table(
    "ecvet_credentials",
    metadata,
    Column("credential_id", String(256), primary_key=True),
    Column("credential_type", String(128), nullable=False),
    Column("issuer_did", String(512), nullable=False),
    Column("digest", String(64), nullable=True),          # sha256 hex of the signed credential; NULL = reserved
    Column("revocation_list", String(64), ForeignKey("ecvet_status_lists.list_id"), nullable=False),
    Column("revocation_index", Integer, nullable=False),
    Column("suspension_list", String(64), ForeignKey("ecvet_status_lists.list_id"), nullable=False),
    Column("suspension_index", Integer, nullable=False),
    Column("revoked_at", UtcDateTime, nullable=True),
    Column("suspended", Boolean, nullable=False),
    Column("reserved_at", UtcDateTime, nullable=False),
    Column("issued_at", UtcDateTime, nullable=True),
    Column("batch_id", String(128), nullable=True),
    Column("row_key", String(256), nullable=True),        # salted digest of the caller's row key
    # Cohort rows (migration 2): learner number and row content as salted digests, the sheet rows,
    # the credential this one replaces (a corrected re-issue), a deviation from the agreement allowed.
    Column("learner_key", String(80), nullable=True),
    Column("content_digest", String(80), nullable=True),
    Column("source_rows", String(256), nullable=True),    # " 2 3 4 ": sheet row numbers, for --batch B --row N
    Column("replaces", String(256), nullable=True),
    Column("deviation", Text, nullable=True),
    # Idempotency of batch re-runs (NULLs do not collide: single issuances without a batch).
    UniqueConstraint("batch_id", "row_key", name="uq_ecvet_credentials_batch_row"),
)
Index("ix_ecvet_credentials_batch", credentials.c.batch_id)
Index("ix_ecvet_credentials_learner", credentials.c.learner_key)

registry_settings = Table(
    "ecvet_registry_settings",
    metadata,
    Column("name", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

audit_log = Table(
    "ecvet_audit_log",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("credential_id", String(256), nullable=False),
    Column("action", String(16), nullable=False),         # revoke | suspend | reinstate
    Column("who", String(256), nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("reason", Text, nullable=False),
)
Index("ix_ecvet_audit_credential", audit_log.c.credential_id)

# Evaluation facts (migration 3): per issued credential, what the partnership's evaluation report counts
# (partners, period, units agreed/assessed/achieved/validated/recognised, outcomes not achieved) as JSON,
# the learner only as a salted digest; `ecvet report` sums them without the credential files.
evaluation_facts = Table(
    "ecvet_evaluation_facts",
    metadata,
    Column("credential_id", String(256), ForeignKey("ecvet_credentials.credential_id"), primary_key=True),
    Column("facts", Text, nullable=False),
)

# Tables that only ever grow: migrations add database triggers refusing UPDATE and DELETE.
APPEND_ONLY = (audit_log, status_indexes)
V1_TABLES = (schema_version, status_lists, status_indexes, credentials, audit_log)
V2_COLUMNS = ("learner_key", "content_digest", "source_rows", "replaces", "deviation")
