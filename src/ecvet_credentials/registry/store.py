"""The issuer registry: issued credentials, status lists and the audit log (SQLite or PostgreSQL).

Issuance protocol (crash-safe and idempotent per batch row): reserve -> sign -> record.

1. ``alloc = reg.allocate_and_record(batch_id=B, row_key=K, credential_type=T, issuer_did=I,
   status_base_url=U)`` runs ONE transaction. If (B, K) is already recorded it returns that record
   unchanged (same credential id, same indexes; ``alloc.issued`` says whether a digest was recorded).
   Otherwise it picks a random free index per purpose (revocation, suspension) with `secrets`,
   opening a new list when the current one reached its capacity, and records the credential as
   *reserved* (no digest yet). Committed before it returns.
2. The caller builds the credential with ``alloc.credential_id`` and ``alloc.entries``
   (its ``credentialStatus``), signs it and writes it out (atomically).
3. ``reg.record_digest(alloc.credential_id, credential_digest(signed))`` marks it issued. The same
   digest again is a no-op; a different one raises BatchConflictError.

Crash before step 1 commits: nothing was recorded or issued; a re-run does it. Crash between 1 and
3: the reservation stays (``reg.pending()`` lists it); a re-run of the batch gets the same credential
id and indexes and completes it, so a copy that escaped before the crash is covered by the same
status bits. Crash after 3: a re-run sees ``alloc.issued`` and skips the row. Nothing is issued
twice because (batch_id, row_key) is a unique key, and an index is never reused because
(list_id, idx) is the primary key of an append-only table: concurrent processes that pick the same
index collide on it and pick again (INSERT ... ON CONFLICT DO NOTHING, or a retried transaction).
"""
from __future__ import annotations

import os
import random
import re
import time
import uuid
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator

from sqlalchemy import ColumnElement, Connection, Engine, and_, insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError

from ecvet_credentials.core.errors import (
    BatchConflictError,
    RegistryError,
    RevocationFinalError,
    UnknownCredentialError,
)
from ecvet_credentials.status.bitstring import MIN_BITS, BitstringStatusList
from ecvet_credentials.status.entries import PURPOSES
from ecvet_credentials.registry import migrations, privacy
from ecvet_credentials.registry import schema as s
from ecvet_credentials.registry.allocation import ListAllocation
from ecvet_credentials.registry.evaluation_store import RegistryEvaluation, store_facts
from ecvet_credentials.registry.reading import RegistryReading
from ecvet_credentials.registry.engine import (
    DEFAULT_FILE,
    MAX_ATTEMPTS,
    Retry,
    aware_utc,
    default_home,
    engine_for,
    retryable,
)
from ecvet_credentials.registry.records import Allocation, CredentialRecord, StatusRef, allocation

DEFAULT_FILL = 7 / 8          # open a new list at 87.5 %: random probing stays cheap, the herd stays big
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


# --- the registry ------------------------------------------------------------------------------
class Registry(ListAllocation, RegistryReading, RegistryEvaluation):
    def __init__(self, engine: Engine, *, list_size: int = MIN_BITS, list_capacity: int | None = None):
        if list_size < MIN_BITS or list_size % 8:
            raise ValueError(f"list_size must be a multiple of 8 and at least {MIN_BITS}")
        self.engine = engine
        self.list_size = list_size
        self.list_capacity = list_capacity or int(list_size * DEFAULT_FILL)
        if not 0 < self.list_capacity <= list_size:
            raise ValueError("list_capacity must be between 1 and list_size")
        self.backend = engine.dialect.name
        self._open_lists: dict[tuple[str, str, str], dict] = {}  # (issuer, purpose, base url) -> list
        self._salt: bytes | None = None

    def row_digest(self, row_key: str) -> str:
        """How a batch row key (a learner number) is stored: salted with this registry's salt (privacy.py)."""
        if self._salt is None:
            with self._read() as conn:
                self._salt = privacy.load_salt(conn)
        assert self._salt is not None, "the migrations make the salt (privacy.ensure_salt)"
        return privacy.digest(self._salt, row_key)

    @classmethod
    def open(
        cls,
        url_or_path: str | os.PathLike | None = None,
        *,
        home: str | os.PathLike | None = None,
        schema: str | None = None,
        list_size: int = MIN_BITS,
        list_capacity: int | None = None,
        sqlite_synchronous: str = "FULL",
    ) -> "Registry":
        """Open (creating and migrating as needed) a registry.

        Target: `url_or_path` if given, else env ECVET_DB, else ``<home>/registry.sqlite`` (home: the
        argument, env ECVET_HOME, or the user data directory). A path is an SQLite file; a URL may be
        ``sqlite:///...`` or ``postgresql+psycopg://user@host/db`` (``postgresql://`` means psycopg 3).
        `schema` (PostgreSQL) keeps the tables in that schema, created if missing.
        """
        target = url_or_path or os.environ.get("ECVET_DB") or Path(home or default_home()) / DEFAULT_FILE
        if sqlite_synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError("sqlite_synchronous must be OFF, NORMAL, FULL or EXTRA")
        engine = engine_for(str(target), schema=schema, sqlite_synchronous=sqlite_synchronous.upper())
        reg = cls(engine, list_size=list_size, list_capacity=list_capacity)
        try:
            if schema:
                reg._retry(lambda conn: conn.exec_driver_sql(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            reg._retry(migrations.migrate)
        except BaseException:
            engine.dispose()
            raise
        return reg

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        with self._read() as conn:
            return migrations.current_version(conn)

    # --- transactions --------------------------------------------------------------------------
    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            conn.execution_options(ecvet_write=True)
            with conn.begin():
                yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn, conn.begin():
            yield conn

    def _retry(self, work):  # noqa: ANN001, ANN202
        """Run `work(conn)` in a write transaction, retrying on unique-key races and lock errors."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self._write() as conn:
                    return work(conn)
            except BaseException as exc:
                # The memo may name a list created by the transaction just rolled back.
                self._open_lists.clear()
                if isinstance(exc, Retry):
                    pass
                elif isinstance(exc, IntegrityError):
                    if attempt == MAX_ATTEMPTS - 1:
                        raise
                elif isinstance(exc, (OperationalError, DBAPIError)):
                    if not retryable(exc) or attempt == MAX_ATTEMPTS - 1:
                        raise
                else:
                    raise
            time.sleep(random.uniform(0, 0.002 * (attempt + 1)))  # jitter: racing peers spread out
        raise RegistryError("could not complete the registry transaction (too much contention)",
                            code="REGISTRY_BUSY")

    # --- issuance ------------------------------------------------------------------------------
    def allocate_and_record(
        self,
        *,
        credential_type: str,
        issuer_did: str,
        status_base_url: str,
        batch_id: str | None = None,
        row_key: str | None = None,
        credential_id: str | None = None,
        now: datetime | None = None,
        row_values: dict[str, Any] | None = None,
    ) -> Allocation:
        """Step 1 of the issuance protocol (module docstring): reserve id + indexes, or return the
        existing record of (batch_id, row_key).

        `credential_id` is a proposal, used when the row is new (default: a fresh urn:uuid); for a row
        already recorded the recorded id is returned whatever was proposed. Always build the credential
        with ``alloc.credential_id``. Raises BatchConflictError when the row was recorded with another
        credential type, or the proposed id already belongs to another row. `row_values` are more columns
        of a new row (cohort_rows.row_values: salted learner key and content, sheet rows, replaces).
        """
        if (batch_id is None) != (row_key is None):
            raise ValueError("give both batch_id and row_key, or neither")
        row_key = self.row_digest(row_key) if row_key is not None else None  # never stored in clear
        if row_values and not set(row_values) <= set(s.V2_COLUMNS):
            raise ValueError(f"row_values may only hold {s.V2_COLUMNS}")
        for name, value in (("credential_type", credential_type), ("issuer_did", issuer_did),
                            ("status_base_url", status_base_url)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name} must be a non-empty string")
        base_url = status_base_url.rstrip("/")
        if "#" in base_url or "?" in base_url:
            raise ValueError("status_base_url must not have a query or fragment")
        now = aware_utc(now)

        def work(conn: Connection) -> Allocation:
            if batch_id is not None:
                row = conn.execute(
                    select(s.credentials).where(
                        and_(s.credentials.c.batch_id == batch_id, s.credentials.c.row_key == row_key)
                    )
                ).mappings().first()
                if row is not None:
                    return self._existing_allocation(conn, row, credential_type, credential_id)
            if credential_id is not None and conn.execute(
                select(s.credentials.c.batch_id, s.credentials.c.row_key)
                .where(s.credentials.c.credential_id == credential_id)
            ).first() is not None:
                raise BatchConflictError(f"credential id {credential_id} is already recorded (for another row)",
                                         details={"credential_id": credential_id})
            cred_id = credential_id or f"urn:uuid:{uuid.uuid4()}"
            picks = {p: self._pick_index(conn, issuer_did, p, base_url, cred_id, now) for p in PURPOSES}
            conn.execute(
                insert(s.credentials).values(
                    credential_id=cred_id, credential_type=credential_type, issuer_did=issuer_did,
                    digest=None, revoked_at=None, suspended=False, reserved_at=now, issued_at=None,
                    batch_id=batch_id, row_key=row_key,
                    revocation_list=picks["revocation"][0]["list_id"],
                    revocation_index=picks["revocation"][1],
                    suspension_list=picks["suspension"][0]["list_id"],
                    suspension_index=picks["suspension"][1],
                    **(row_values or {}),
                )
            )
            # Count the allocations last: on PostgreSQL these row locks are held only until commit.
            list_ids = [picks[p][0]["list_id"] for p in PURPOSES]
            done = conn.execute(
                update(s.status_lists)
                .where(and_(s.status_lists.c.list_id.in_(list_ids),
                            s.status_lists.c.allocated < s.status_lists.c.capacity))
                .values(allocated=s.status_lists.c.allocated + 1, updated_at=now)
            ).rowcount
            if done != len(list_ids):
                self._open_lists.clear()
                raise Retry()  # a list filled up (concurrent issuers): start over on the next one
            status = {p: StatusRef(picks[p][0]["list_id"], picks[p][0]["url"], picks[p][1]) for p in PURPOSES}
            return allocation(cred_id, batch_id, row_key, status, None, created=True)

        return self._retry(work)

    def record_digest(self, credential_id: str, digest: str, *, now: datetime | None = None,
                      evaluation: dict | None = None) -> Allocation:
        """Step 3: record the digest of the signed credential (idempotent for the same digest), and in the
        same transaction its `evaluation` facts (evaluation_store) when given."""
        digest = digest.lower() if isinstance(digest, str) else digest
        if not isinstance(digest, str) or not _HEX64.match(digest):
            raise ValueError("digest must be a sha256 hex string (see credential_digest)")
        now = aware_utc(now)

        def work(conn: Connection) -> Allocation:
            conn.execute(
                update(s.credentials)
                .where(and_(s.credentials.c.credential_id == credential_id, s.credentials.c.digest.is_(None)))
                .values(digest=digest, issued_at=now)
            )
            row = self._credential_row(conn, credential_id)
            if evaluation is not None and row["digest"] == digest:
                store_facts(conn, credential_id, evaluation)
            if row["digest"] != digest:
                raise BatchConflictError(
                    f"{credential_id} was already recorded with another digest ({row['digest'][:12]}...); "
                    "it was issued before: do not issue it again",
                    details={"credential_id": credential_id},
                )
            return self._allocation_from_row(conn, row, created=False)

        return self._retry(work)

    def pending(self, batch_id: str | None = None) -> list[CredentialRecord]:
        """Reservations without a recorded digest (a crashed or unfinished batch)."""
        cond: ColumnElement[bool] = s.credentials.c.digest.is_(None)
        if batch_id is not None:
            cond = and_(cond, s.credentials.c.batch_id == batch_id)
        return self._records(cond)

    # --- status changes ------------------------------------------------------------------------
    def set_status(
        self, credential_id: str, purpose: str, value: bool, *, who: str, reason: str,
        now: datetime | None = None,
    ) -> bool:
        """Set or clear a status bit, with its audit row, in one transaction.

        Returns False when the status already had that value (nothing changes, nothing is logged).
        Revocation is final: clearing it, or changing the suspension of a revoked credential, raises
        RevocationFinalError.
        """
        if purpose not in PURPOSES:
            raise ValueError(f"purpose must be one of {PURPOSES}")
        if not isinstance(who, str) or not who.strip():
            raise ValueError("who must name the person or process making the change")
        if not isinstance(reason, str):
            raise ValueError("reason must be a string")
        value = bool(value)
        now = aware_utc(now)

        def work(conn: Connection) -> bool:
            row = self._credential_row(conn, credential_id, for_update=True)
            if row["revoked_at"] is not None:
                if purpose == "revocation" and value:
                    return False
                raise RevocationFinalError(
                    f"{credential_id} is revoked; revocation is final (issue a new credential instead)",
                    details={"credential_id": credential_id},
                )
            current = row["suspended"] if purpose == "suspension" else False
            if current == value:
                return False
            list_id, index = row[f"{purpose}_list"], row[f"{purpose}_index"]
            bits_row = conn.execute(
                select(s.status_lists.c.bits).where(s.status_lists.c.list_id == list_id).with_for_update()
            ).one()
            bits = BitstringStatusList(data=bits_row.bits, min_bits=0)
            bits.set(index, value)
            conn.execute(update(s.status_lists).where(s.status_lists.c.list_id == list_id)
                         .values(bits=bits.to_bytes(), updated_at=now))
            changes = {"revoked_at": now} if purpose == "revocation" else {"suspended": value}
            conn.execute(update(s.credentials).where(s.credentials.c.credential_id == credential_id).values(**changes))
            action = "revoke" if purpose == "revocation" else ("suspend" if value else "reinstate")
            conn.execute(insert(s.audit_log).values(
                credential_id=credential_id, action=action, who=who, at=now, reason=reason))
            return True

        return self._retry(work)

    def revoke(self, credential_id: str, *, who: str, reason: str, now: datetime | None = None) -> bool:
        return self.set_status(credential_id, "revocation", True, who=who, reason=reason, now=now)

    def suspend(self, credential_id: str, *, who: str, reason: str, now: datetime | None = None) -> bool:
        return self.set_status(credential_id, "suspension", True, who=who, reason=reason, now=now)

    def reinstate(self, credential_id: str, *, who: str, reason: str, now: datetime | None = None) -> bool:
        """Lift a suspension. Raises RevocationFinalError for a revoked credential."""
        return self.set_status(credential_id, "suspension", False, who=who, reason=reason, now=now)

    # --- internals -----------------------------------------------------------------------------
    def _credential_row(self, conn: Connection, credential_id: str, *, for_update: bool = False):  # noqa: ANN202
        q = select(s.credentials).where(s.credentials.c.credential_id == credential_id)
        row = conn.execute(q.with_for_update() if for_update else q).mappings().first()
        if row is None:
            raise UnknownCredentialError(f"{credential_id} is not in this registry",
                                         details={"credential_id": credential_id})
        return row

    def _existing_allocation(self, conn: Connection, row, credential_type: str,  # noqa: ANN001
                             credential_id: str | None) -> Allocation:
        # A proposed credential_id that differs is not a conflict: a re-built document may carry a
        # fresh id, and the recorded one wins (the caller must use alloc.credential_id).
        if row["credential_type"] != credential_type:
            raise BatchConflictError(
                f"batch {row['batch_id']!r} row {row['row_key']!r} was recorded as a {row['credential_type']} "
                f"({row['credential_id']}); this re-run asks for a {credential_type}",
                details={"batch_id": row["batch_id"], "row_key": row["row_key"]},
            )
        return self._allocation_from_row(conn, row, created=False)

    def _allocation_from_row(self, conn: Connection, row, *, created: bool) -> Allocation:  # noqa: ANN001
        urls = dict(conn.execute(
            select(s.status_lists.c.list_id, s.status_lists.c.url)
            .where(s.status_lists.c.list_id.in_([row["revocation_list"], row["suspension_list"]]))
        ).all())
        status = {p: StatusRef(row[f"{p}_list"], urls[row[f"{p}_list"]], row[f"{p}_index"]) for p in PURPOSES}
        return allocation(row["credential_id"], row["batch_id"], row["row_key"], status, row["digest"],
                           created=created)
