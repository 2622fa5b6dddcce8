"""Small generic documents for the verify tests (written for `make mutation` in verify/): a credential
without proof, one signed with did:key, a registry trusting given keys."""
from __future__ import annotations

from datetime import datetime, timezone

from ecvet_credentials.proofs import sign

V2 = "https://www.w3.org/ns/credentials/v2"
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)
CREATED = "2026-02-01T10:00:00Z"
CHALLENGE = "c-42"


def generic(**extra):
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:school",
           "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
    doc.update(extra)
    return {k: v for k, v in doc.items() if v is not None}


def signed(issuer, subject="did:example:learner", n=1, **extra):
    doc = {"@context": [V2], "id": f"urn:uuid:7d1b0c2e-0000-4000-8000-00000000000{n}", "type": ["VerifiableCredential"],
           "issuer": issuer.did, "validFrom": "2026-01-01T00:00:00Z", "credentialSubject": {"id": subject, "name": "Ada"}}
    doc.update(extra)
    return sign(doc, issuer, created=CREATED)


def trust_in(*keys):
    from ecvet_credentials.trust.registry import Institution, TrustRegistry

    return TrustRegistry("test registry", {k.did: Institution(k.did, "School", "IT", ("host",)) for k in keys})
