"""Evaluation facts in the registry: what `ecvet report` counts for each issued credential, kept so the
report can be made from the registry alone (the credential files stay with their holders). A mixin of
`Registry` (it needs `_retry()` and `_read()`). The facts are opaque JSON here; ecvet/evaluation.py makes
and reads them. No personal data: the learner is a salted digest (privacy.py)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from sqlalchemy import Connection, insert, select, update

from ecvet_credentials.registry import schema as s


@dataclass
class StoredFacts:
    facts: dict[str, dict] = field(default_factory=dict)  # credential id -> facts (issued, not revoked)
    without_facts: list[str] = field(default_factory=list)  # issued before migration 3, or by a tool that gave none
    revoked: list[str] = field(default_factory=list)        # left out: a correction replaces what it revokes


def store_facts(conn: Connection, credential_id: str, facts: dict) -> None:
    """Insert or replace a credential's facts in the caller's transaction (record_digest's, at issuance)."""
    text = json.dumps(facts, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    done = conn.execute(update(s.evaluation_facts).where(s.evaluation_facts.c.credential_id == credential_id)
                        .values(facts=text)).rowcount
    if not done:
        conn.execute(insert(s.evaluation_facts).values(credential_id=credential_id, facts=text))


class RegistryEvaluation:
    def record_evaluation(self, credential_id: str, facts: dict) -> None:
        """Store (or replace) the evaluation facts of a credential recorded in this registry."""
        self._retry(lambda conn: store_facts(conn, credential_id, facts))  # type: ignore[attr-defined]

    def evaluation_facts(self, types: tuple[str, ...] = ()) -> StoredFacts:
        """The facts of every issued credential; revoked ones and those without facts are only listed
        (without facts: only those of `types`, the kinds the report counts)."""
        c, f = s.credentials.c, s.evaluation_facts.c
        q = (select(c.credential_id, c.credential_type, c.revoked_at, f.facts)
             .select_from(s.credentials.outerjoin(s.evaluation_facts, c.credential_id == f.credential_id))
             .where(c.digest.is_not(None)).order_by(c.reserved_at, c.credential_id))
        out = StoredFacts()
        with self._read() as conn:  # type: ignore[attr-defined]
            for credential_id, credential_type, revoked_at, facts in conn.execute(q):
                if revoked_at is not None:
                    out.revoked.append(credential_id)
                elif facts is None:
                    if credential_type in types:
                        out.without_facts.append(credential_id)
                else:
                    out.facts[credential_id] = json.loads(facts)
        return out
