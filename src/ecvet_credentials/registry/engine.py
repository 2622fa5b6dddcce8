"""Opening the registry's database: SQLite (WAL, BEGIN IMMEDIATE for writers) or PostgreSQL, and the
small transaction helpers both backends share (retryable errors, INSERT ... ON CONFLICT DO NOTHING)."""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Connection, Engine, Insert, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import StaticPool

from ecvet_credentials.core.timeutil import utc_now
from ecvet_credentials.core.errors import RegistryError

DEFAULT_FILE = "registry.sqlite"
MAX_ATTEMPTS = 50             # transaction retries on conflicts / lock errors
SCHEMA_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
RETRY_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock, lock not available


def default_home() -> Path:
    env = os.environ.get("ECVET_HOME")
    if env:
        return Path(env)
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "ecvet"


def engine_for(target: str, *, schema: str | None, sqlite_synchronous: str) -> Engine:
    if "://" not in target:
        target = f"sqlite:///{Path(target).expanduser().resolve()}"
    url = make_url(target)
    if url.drivername in ("postgresql", "postgres"):  # SQLAlchemy's default driver is psycopg2: use psycopg 3
        url = url.set(drivername="postgresql+psycopg")
    backend = url.get_backend_name()
    if backend == "sqlite":
        if schema:
            raise ValueError("schema= is for PostgreSQL; use another SQLite file instead")
        database = url.database or ""
        memory = database in ("", ":memory:")
        if not memory:
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"timeout": 60}, **({"poolclass": StaticPool} if memory else {})
        )
        configure_sqlite(engine, sqlite_synchronous)
        return engine
    if backend == "postgresql":
        args = {}
        if schema:
            if not SCHEMA_RE.match(schema):
                raise ValueError(f"bad PostgreSQL schema name {schema!r}")
            args["options"] = f"-csearch_path={schema}"
        return create_engine(url, connect_args=args, pool_pre_ping=True)
    raise RegistryError(f"unsupported registry database {backend!r} (use SQLite or PostgreSQL)",
                        code="REGISTRY_UNSUPPORTED")


def configure_sqlite(engine: Engine, synchronous: str) -> None:
    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn, _record):  # noqa: ANN001
        # pysqlite's own implicit BEGIN is disabled so that _begin() below decides the lock mode.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA busy_timeout=60000")          # writers queue instead of failing
        cur.execute("PRAGMA journal_mode=WAL")           # readers never block the writer
        cur.execute(f"PRAGMA synchronous={synchronous}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn):  # noqa: ANN001
        # Write transactions take the write lock up front: no read-then-upgrade deadlock (SQLITE_BUSY).
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get("ecvet_write") else "BEGIN")


class Retry(Exception):
    """Internal: roll back and run the transaction again."""


def insert_ignore(conn: Connection, table, **values) -> bool:  # noqa: ANN001
    """INSERT ... ON CONFLICT DO NOTHING; True if the row was inserted."""
    stmt: Insert
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert  # noqa: PLC0415
        stmt = pg_insert(table).values(**values).on_conflict_do_nothing()
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert  # noqa: PLC0415
        stmt = sqlite_insert(table).values(**values).on_conflict_do_nothing()
    # RETURNING rather than rowcount: psycopg reports rowcount -1 for this statement.
    key = list(table.primary_key.columns)[0]
    return conn.execute(stmt.returning(key)).first() is not None


def retryable(exc: DBAPIError) -> bool:
    orig = getattr(exc, "orig", None)
    if getattr(orig, "sqlstate", None) in RETRY_SQLSTATES:
        return True
    msg = str(orig).lower()
    return "database is locked" in msg or "database is busy" in msg


def aware_utc(now: datetime | None) -> datetime:
    if now is None:
        return utc_now()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    return now.astimezone(timezone.utc)
