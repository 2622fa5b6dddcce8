"""Picking a status-list index: a random free index per purpose (herd privacy), opening a new list when
the current one reached its capacity. A mixin of `Registry`, run inside its write transactions."""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

from sqlalchemy import Connection, and_, func, insert, select

from ecvet_credentials.registry import schema as s
from ecvet_credentials.registry.engine import Retry, insert_ignore


class ListAllocation:
    """Needs `list_size`, `list_capacity` and `_open_lists` (set by Registry.__init__)."""

    list_size: int
    list_capacity: int
    _open_lists: dict[tuple[str, str, str], dict]   # (issuer, purpose, base url) -> the open list

    def _pick_index(self, conn: Connection, issuer_did: str, purpose: str, base_url: str,
                    credential_id: str, now: datetime) -> tuple[dict, int]:
        # The open list is remembered between calls; the capacity check in allocate_and_record's
        # counter update catches a list that filled up meanwhile (and clears this memo).
        key = (issuer_did, purpose, base_url)
        lst = self._open_lists.get(key)
        if lst is None:
            lst = self._find_open_list(conn, issuer_did, purpose, base_url)
            if lst is None:
                lst = self._open_list(conn, issuer_did, purpose, base_url, now)
            self._open_lists[key] = lst
        # Random index (herd privacy: the index says nothing about issuance order). First one blind
        # try (succeeds with probability 1 - fill), then probe in rounds; the primary key settles
        # races with concurrent issuers.
        idx = secrets.randbelow(lst["size"])
        if insert_ignore(conn, s.status_indexes, list_id=lst["list_id"], idx=idx,
                          credential_id=credential_id, allocated_at=now):
            return lst, idx
        for _ in range(64):
            candidates = {secrets.randbelow(lst["size"]) for _ in range(8)}
            taken = set(conn.execute(
                select(s.status_indexes.c.idx).where(and_(s.status_indexes.c.list_id == lst["list_id"],
                                                          s.status_indexes.c.idx.in_(candidates)))
            ).scalars())
            for idx in candidates - taken:
                if insert_ignore(conn, s.status_indexes, list_id=lst["list_id"], idx=idx,
                                  credential_id=credential_id, allocated_at=now):
                    return lst, idx
        raise Retry()  # practically unreachable below the capacity; start over

    def _find_open_list(self, conn: Connection, issuer_did: str, purpose: str, base_url: str) -> dict | None:
        row = conn.execute(
            select(s.status_lists.c.list_id, s.status_lists.c.url, s.status_lists.c.size)
            .where(and_(s.status_lists.c.issuer_did == issuer_did, s.status_lists.c.purpose == purpose,
                        s.status_lists.c.base_url == base_url,
                        s.status_lists.c.allocated < s.status_lists.c.capacity))
            .order_by(s.status_lists.c.seq).limit(1)
        ).mappings().first()
        return dict(row) if row is not None else None

    def _open_list(self, conn: Connection, issuer_did: str, purpose: str, base_url: str, now: datetime) -> dict:
        if conn.dialect.name == "postgresql":
            # Serialize openers of a purpose: under READ COMMITTED a racer that looked before the winner
            # committed would otherwise see the winner's seq and open a second list beside it.
            # (SQLite writers are already serialized by BEGIN IMMEDIATE.)
            key = int.from_bytes(hashlib.sha256(f"ecvet-open-list:{purpose}".encode()).digest()[:8], "big", signed=True)
            conn.exec_driver_sql("SELECT pg_advisory_xact_lock(%(k)s)", {"k": key})
            winner = self._find_open_list(conn, issuer_did, purpose, base_url)
            if winner is not None:
                return winner
        seq = conn.execute(
            select(func.coalesce(func.max(s.status_lists.c.seq), 0)).where(s.status_lists.c.purpose == purpose)
        ).scalar_one() + 1
        list_id = f"{purpose}-{seq}"
        values = dict(
            list_id=list_id, purpose=purpose, seq=seq, url=f"{base_url}/{list_id}", base_url=base_url,
            issuer_did=issuer_did, size=self.list_size, capacity=self.list_capacity, allocated=0,
            bits=bytes(self.list_size // 8), created_at=now, updated_at=now,
        )
        conn.execute(insert(s.status_lists).values(**values))  # a racing opener fails here and retries
        return {"list_id": list_id, "url": values["url"], "size": self.list_size}
