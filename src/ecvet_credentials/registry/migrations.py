"""Versioned schema migrations, applied when a registry is opened.

Each step runs in the same transaction as the row recording it in `ecvet_schema_version`
(both SQLite and PostgreSQL have transactional DDL), so a crash leaves the old or the new version,
never half of one. Concurrent openers are serialized: SQLite by BEGIN IMMEDIATE, PostgreSQL by a
transaction-level advisory lock.
"""
from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, func, insert, inspect, select, text, update

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.core.errors import RegistryError
from ecvet_credentials.registry import schema as s

_PG_LOCK_KEY = 0x0ECE7_4E61  # arbitrary, constant: "ecvet registry migrations"


def _v1(conn: Connection) -> None:
    s.metadata.create_all(conn, tables=[t for t in s.V1_TABLES if t is not s.schema_version])
    for table in s.APPEND_ONLY:
        _append_only(conn, table.name)


def _append_only(conn: Connection, table: str) -> None:
    """Database-level guarantee: rows of `table` are never updated or deleted."""
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION ecvet_append_only() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION '%% is append-only', TG_TABLE_NAME; END $$"
        )
        conn.exec_driver_sql(
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION ecvet_append_only()"
        )


def _v2(conn: Connection) -> None:
    """Cohort rows without personal data: a per-registry salt, row keys hashed with it, and the
    columns for changed-row detection, re-issue links and allowed deviations."""
    from ecvet_credentials.registry import privacy

    existing = {col["name"] for col in inspect(conn).get_columns(s.credentials.name)}
    for name in s.V2_COLUMNS:
        if name not in existing:  # a registry created by this version has them from step 1
            column = s.credentials.c[name]
            ddl_type = column.type.compile(dialect=conn.dialect)
            conn.exec_driver_sql(f"ALTER TABLE {s.credentials.name} ADD COLUMN {name} {ddl_type}")
    if "ix_ecvet_credentials_learner" not in {i["name"] for i in inspect(conn).get_indexes(s.credentials.name)}:
        conn.exec_driver_sql(f"CREATE INDEX ix_ecvet_credentials_learner ON {s.credentials.name} (learner_key)")
    s.registry_settings.create(conn, checkfirst=True)
    salt = privacy.ensure_salt(conn)
    rows = conn.execute(select(s.credentials.c.credential_id, s.credentials.c.row_key)
                        .where(s.credentials.c.row_key.is_not(None))).all()
    for credential_id, row_key in rows:  # row keys written in clear by version 1
        if not privacy.is_digest(row_key):
            conn.execute(update(s.credentials).where(s.credentials.c.credential_id == credential_id)
                         .values(row_key=privacy.digest(salt, row_key)))


def _v3(conn: Connection) -> None:
    """Evaluation facts per issued credential, for `ecvet report` from the registry."""
    s.evaluation_facts.create(conn, checkfirst=True)


MIGRATIONS: list[tuple[int, str, Callable[[Connection], None]]] = [
    (1, "initial schema: status lists, indexes, credentials, audit log", _v1),
    (2, "salted row keys; cohort rows: learner key, content digest, sheet rows, replaces, deviation", _v2),
    (3, "evaluation facts per issued credential (the evaluation report without the files)", _v3),
]
LATEST = MIGRATIONS[-1][0]


def current_version(conn: Connection) -> int:
    if not conn.dialect.has_table(conn, s.schema_version.name):
        return 0
    return conn.execute(select(func.coalesce(func.max(s.schema_version.c.version), 0))).scalar_one()


def migrate(conn: Connection) -> int:
    """Bring the schema up to date inside the caller's (write) transaction; returns the version."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    s.schema_version.create(conn, checkfirst=True)
    version = current_version(conn)
    if version > LATEST:
        raise RegistryError(
            f"the registry schema is version {version}, newer than this software understands ({LATEST}); "
            "upgrade ecvet-credentials",
            code="REGISTRY_SCHEMA_TOO_NEW",
        )
    for number, description, step in MIGRATIONS:
        if number > version:
            step(conn)
            conn.execute(
                insert(s.schema_version).values(
                    version=number, description=description, applied_at=utc_now()
                )
            )
            version = number
    return version
