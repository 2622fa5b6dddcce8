"""Reading the registry: records, the audit log, status lists and the export. A mixin of `Registry`
(it needs `_read()` and `_credential_row()`)."""
from __future__ import annotations

import json
from dataclasses import asdict
from contextlib import AbstractContextManager
from typing import Any, Iterator, TextIO

from sqlalchemy import Connection, select

from ecvet_credentials.core.errors import RegistryError, UnknownCredentialError
from ecvet_credentials.status.bitstring import BitstringStatusList
from ecvet_credentials.status.entries import PURPOSES
from ecvet_credentials.registry import schema as s
from ecvet_credentials.registry.records import AuditEntry, CredentialRecord, StatusListInfo, StatusRef, jsonable


class RegistryReading:
    def _read(self) -> AbstractContextManager[Connection]:  # Registry's: a read transaction
        raise NotImplementedError

    def status_of(self, credential_id: str) -> CredentialRecord:
        records = self._records(s.credentials.c.credential_id == credential_id)
        if not records:
            raise UnknownCredentialError(f"{credential_id} is not in this registry",
                                         details={"credential_id": credential_id})
        return records[0]

    def list_credentials(self, *, batch_id: str | None = None) -> list[CredentialRecord]:
        return self._records(s.credentials.c.batch_id == batch_id if batch_id is not None else None)

    def audit_log(self, credential_id: str | None = None) -> list[AuditEntry]:
        q = select(s.audit_log).order_by(s.audit_log.c.seq)
        if credential_id is not None:
            q = q.where(s.audit_log.c.credential_id == credential_id)
        with self._read() as conn:
            return [AuditEntry(**row) for row in conn.execute(q).mappings()]

    def status_lists(self) -> list[StatusListInfo]:
        cols = [c for c in s.status_lists.c if c.name not in ("bits", "seq", "base_url")]
        with self._read() as conn:
            rows = conn.execute(select(*cols).order_by(s.status_lists.c.purpose, s.status_lists.c.seq))
            return [StatusListInfo(**row) for row in rows.mappings()]

    def status_list_bits(self, list_id: str) -> BitstringStatusList:
        with self._read() as conn:
            data = conn.execute(
                select(s.status_lists.c.bits).where(s.status_lists.c.list_id == list_id)
            ).scalar_one_or_none()
        if data is None:
            raise RegistryError(f"no status list {list_id!r} in this registry", code="UNKNOWN_STATUS_LIST")
        return BitstringStatusList(data=data, min_bits=0)

    def iter_export(self) -> Iterator[dict[str, Any]]:
        """Everything needed to audit or rebuild the registry, as JSON-ready dicts (with a "kind")."""
        for info in self.status_lists():
            yield {"kind": "status_list", **jsonable(asdict(info)),
                   "encodedList": self.status_list_bits(info.list_id).encode()}
        for record in self.list_credentials():
            yield {"kind": "credential", **record.to_json()}
        for entry in self.audit_log():
            yield {"kind": "audit", **entry.to_json()}

    def export(self, fp: TextIO) -> int:
        """Write the export as JSON lines; returns the number of lines."""
        n = 0
        for item in self.iter_export():
            fp.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
            n += 1
        return n

    def _records(self, condition) -> list[CredentialRecord]:  # noqa: ANN001
        q = select(s.credentials).order_by(s.credentials.c.reserved_at, s.credentials.c.credential_id)
        if condition is not None:
            q = q.where(condition)
        with self._read() as conn:
            urls = dict(conn.execute(select(s.status_lists.c.list_id, s.status_lists.c.url)).all())
            out = []
            for row in conn.execute(q).mappings():
                refs = {p: StatusRef(row[f"{p}_list"], urls[row[f"{p}_list"]], row[f"{p}_index"]) for p in PURPOSES}
                out.append(CredentialRecord(
                    credential_id=row["credential_id"], credential_type=row["credential_type"],
                    issuer_did=row["issuer_did"], digest=row["digest"], revocation=refs["revocation"],
                    suspension=refs["suspension"], revoked_at=row["revoked_at"], suspended=row["suspended"],
                    reserved_at=row["reserved_at"], issued_at=row["issued_at"], batch_id=row["batch_id"],
                    row_key=row["row_key"],
                ))
            return out
