"""Cohort rows in the registry: what a row was issued from, corrections that re-issue, and finding a
credential by learner number or by batch and sheet row (for `ecvet status revoke`).

Learner numbers and row contents are stored as salted digests (privacy.py); a caller gives them in
clear and they are hashed here with the registry's salt.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, or_, select, update

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.i18n import _
from ecvet_credentials.registry import schema as s
from ecvet_credentials.registry.records import CredentialRecord
from ecvet_credentials.registry.store import Registry


@dataclass(frozen=True)
class IssuedRow:
    """What the registry knows of a cohort row already issued."""

    record: CredentialRecord
    content_digest: str | None     # salted; None for rows issued before migration 2
    replaces: str | None
    deviation: str | None


class TargetError(InputError):
    """A learner number or batch row that names no credential, or more than one."""

    code = "TARGET_NOT_UNIQUE"


def content_key(registry: Registry, content_digest: str) -> str:
    return registry.row_digest("content:" + content_digest)


def issued_row(registry: Registry, batch_id: str, learner_id: str) -> IssuedRow | None:
    """The credential currently standing for (batch, learner), or None."""
    row_key = registry.row_digest(learner_id)
    with registry._read() as conn:  # noqa: SLF001 - the registry's own transaction helper
        row = conn.execute(select(s.credentials.c.credential_id, s.credentials.c.content_digest,
                                  s.credentials.c.replaces, s.credentials.c.deviation)
                           .where(and_(s.credentials.c.batch_id == batch_id, s.credentials.c.row_key == row_key))
                           ).first()
    if row is None:
        return None
    return IssuedRow(registry.status_of(row.credential_id), row.content_digest, row.replaces, row.deviation)


def changed(registry: Registry, issued: IssuedRow, content_digest: str) -> bool:
    """Whether the sheet's row differs from what was issued (rows from before migration 2 count as unchanged)."""
    return issued.content_digest is not None and issued.content_digest != content_key(registry, content_digest)


def row_values(registry: Registry, *, learner_id: str, content_digest: str, rows: tuple[int, ...],
               replaces: str | None = None, deviation: str | None = None) -> dict:
    """The cohort columns of a new credential row (Registry.allocate_and_record(row_values=...))."""
    return dict(learner_key=registry.row_digest(learner_id), content_digest=content_key(registry, content_digest),
                source_rows=" " + " ".join(str(n) for n in rows)[:250] + " ", replaces=replaces, deviation=deviation)


def supersede(registry: Registry, credential_id: str, *, who: str, reason: str, now: datetime | None = None) -> None:
    """Revoke a credential that a corrected one will replace (reason in the audit log), and free its
    batch row for the replacement. The old record keeps its learner key, so it is still found by learner."""
    registry.revoke(credential_id, who=who, reason=reason, now=now)

    def work(conn):
        conn.execute(update(s.credentials).where(s.credentials.c.credential_id == credential_id).values(row_key=None))

    registry._retry(work)  # noqa: SLF001


def replaced_by(registry: Registry, credential_id: str) -> str | None:
    with registry._read() as conn:  # noqa: SLF001
        return conn.execute(select(s.credentials.c.credential_id)
                            .where(s.credentials.c.replaces == credential_id)).scalar_one_or_none()


def pending_replacement(registry: Registry, batch_id: str, learner_id: str) -> str | None:
    """A credential of (batch, learner) revoked and freed by `supersede` whose replacement was not issued
    (an interrupted re-issue): the re-run names it as replaced."""
    key = registry.row_digest(learner_id)
    with registry._read() as conn:  # noqa: SLF001
        ids = conn.execute(select(s.credentials.c.credential_id)
                           .where(and_(s.credentials.c.batch_id == batch_id, s.credentials.c.learner_key == key,
                                       s.credentials.c.row_key.is_(None)))
                           .order_by(s.credentials.c.reserved_at.desc())).scalars().all()
        for old in ids:
            if conn.execute(select(s.credentials.c.credential_id).where(s.credentials.c.replaces == old)).first() is None:
                return old
    return None


def find_credentials(registry: Registry, *, learner_id: str | None = None, batch_id: str | None = None,
                     row: int | None = None, include_revoked: bool = False) -> list[CredentialRecord]:
    """Credentials of a learner number (optionally in one batch), or of a batch's sheet row."""
    if learner_id is None and (batch_id is None or row is None):
        raise ValueError("give learner_id, or batch_id and row")
    cond = []
    if learner_id is not None:
        key = registry.row_digest(learner_id)
        cond.append(or_(s.credentials.c.learner_key == key, s.credentials.c.row_key == key))
    if batch_id is not None:
        cond.append(s.credentials.c.batch_id == batch_id)
    if row is not None:
        cond.append(s.credentials.c.source_rows.like(f"% {int(row)} %"))
    with registry._read() as conn:  # noqa: SLF001
        ids = conn.execute(select(s.credentials.c.credential_id).where(and_(*cond))).scalars().all()
    records = [registry.status_of(i) for i in ids]
    return [r for r in records if include_revoked or not r.revoked]


def resolve_target(registry: Registry, target: str | None, *, batch_id: str | None = None, row: int | None = None,
                   include_revoked: bool = False) -> str:
    """The one credential id meant by TARGET (a credential id or a learner number) or --batch/--row.
    Raises TargetError when none or several match (the message lists them)."""
    if target is not None and row is None:
        with registry._read() as conn:  # noqa: SLF001
            known = conn.execute(select(s.credentials.c.credential_id)
                                 .where(s.credentials.c.credential_id == target)).first()
        if known is not None or target.startswith("urn:"):
            return target  # an unknown credential id is reported as such by the registry
        found = find_credentials(registry, learner_id=target, batch_id=batch_id, include_revoked=include_revoked)
        what = (_("learner number {learner} in batch {batch}") if batch_id else _("learner number {learner}")).format(
            learner=target, batch=batch_id)
    elif target is None and batch_id is not None and row is not None:
        found = find_credentials(registry, batch_id=batch_id, row=row, include_revoked=include_revoked)
        what = _("batch {batch} row {row}").format(batch=batch_id, row=row)
    else:
        raise TargetError("give a credential id, a learner number, or --batch B --row N")
    if not found:
        raise TargetError((_("no credential for {what} in this registry") if include_revoked else
                           _("no unrevoked credential for {what} in this registry")).format(what=what),
                          code="TARGET_NOT_FOUND")
    if len(found) > 1:
        listing = ", ".join(f"{r.credential_id} (batch {r.batch_id})" for r in found[:10])
        raise TargetError(_("{n} credentials for {what}: {listing}; name one (or add --batch)").format(
            n=len(found), what=what, listing=listing))
    return found[0].credential_id
