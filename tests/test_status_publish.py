"""End to end: registry -> signed published lists -> verifier check."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.registry import Registry
from ecvet_credentials.status import StatusListSource, check_status, publish_status_lists, read_index

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=timezone.utc)
BASE = "https://uni.example/status"


def test_publish_from_registry_and_verify(tmp_path):
    from ecvet_credentials.crypto.keys import KeyPair

    key = KeyPair.generate("Ed25519")
    with Registry.open(tmp_path / "reg.sqlite") as reg:
        a = reg.allocate_and_record(credential_type="PT", issuer_did=key.did, status_base_url=BASE)
        b = reg.allocate_and_record(credential_type="PT", issuer_did=key.did, status_base_url=BASE)
        reg.revoke(a.credential_id, who="registrar", reason="error", now=T0)
        reg.suspend(b.credential_id, who="registrar", reason="review", now=T0)
        reg.allocate_and_record(credential_type="PT", issuer_did="did:key:z6MkAnotherIssuer", status_base_url=BASE)
        out = tmp_path / "site"
        published = publish_status_lists(reg, out, key=key, now=T0, validity=timedelta(days=2), ttl_ms=3600_000)
    # only the key's own lists are signed (the other issuer's revocation-2/suspension-2 are not)
    assert sorted(p.list_id for p in published) == ["revocation-1", "suspension-1"]
    index = read_index(out)
    assert set(index["lists"]) == {f"{BASE}/revocation-1", f"{BASE}/suspension-1"}
    doc = json.loads((out / "revocation-1.json").read_text())
    assert doc["validUntil"] == "2026-06-03T09:00:00Z" and doc["credentialSubject"]["ttl"] == 3600_000
    assert doc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"

    source = StatusListSource(directory=out)
    for alloc, expected in ((a, ["revoked", "ok"]), (b, ["ok", "suspended"])):
        cred = {"id": alloc.credential_id, "issuer": key.did, "credentialStatus": alloc.entries}
        checks = check_status(cred, source, now=T0 + timedelta(hours=1))
        assert [c.outcome for c in checks] == expected
    # a week later the published lists have expired: could not check (a set bit still counts: it is final)
    cred = {"id": b.credential_id, "issuer": key.did, "credentialStatus": b.entries}
    assert [c.outcome for c in check_status(cred, source, now=T0 + timedelta(days=7))] == ["unavailable", "suspended"]


def test_publish_needs_a_signer_and_an_issuer(tmp_path):
    with Registry.open(tmp_path / "reg.sqlite") as reg:
        with pytest.raises(ValueError):
            publish_status_lists(reg, tmp_path / "site")
        with pytest.raises(ValueError):
            publish_status_lists(reg, tmp_path / "site", signer=lambda d: d)
        reg.allocate_and_record(credential_type="PT", issuer_did="did:key:zA", status_base_url=BASE)
        out = publish_status_lists(reg, tmp_path / "site", signer=lambda d: d, issuer_did="did:key:zA")
        assert len(out) == 2 and all(p.path.is_file() for p in out)
