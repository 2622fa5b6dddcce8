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


def test_publish_only_the_lists_asked_for_with_the_suite_asked_for(tmp_path):
    from ecvet_credentials.crypto.keys import KeyPair

    key = KeyPair.generate("Ed25519")
    with Registry.open(tmp_path / "reg.sqlite") as reg:
        reg.allocate_and_record(credential_type="PT", issuer_did=key.did, status_base_url=BASE)
        out = publish_status_lists(reg, tmp_path / "site", key=key, now=T0, list_ids=["suspension-1"],
                                   cryptosuite="eddsa-jcs-2022", validity=None)
    assert [(p.list_id, p.url, p.purpose) for p in out] == [("suspension-1", f"{BASE}/suspension-1", "suspension")]
    assert sorted(f.name for f in (tmp_path / "site").glob("*.json")) == ["index.json", "suspension-1.json"]
    doc = json.loads(out[0].path.read_text())
    assert doc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert "validUntil" not in doc  # validity=None: a list without an end


def test_the_default_signer_uses_the_default_suite():
    from ecvet_credentials.crypto.keys import KeyPair
    from ecvet_credentials.status.publish import make_signer

    key = KeyPair.generate("Ed25519")
    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
           "issuer": key.did, "credentialSubject": {"id": "urn:uuid:s"}}
    assert make_signer(key)(doc)["proof"]["cryptosuite"] == "eddsa-rdfc-2022"


def test_published_files_are_stable_text_and_the_index_records_them(tmp_path, clock):
    """Same list, same bytes (static hosts and their caches see no change); people can read both files."""
    import hashlib

    from ecvet_credentials.core.timeutil import iso
    from ecvet_credentials.status import write_status_list

    signed = {"id": f"{BASE}/revocation-1", "issuer": "did:key:zA", "name": "Université de Liège",
              "credentialSubject": {"statusPurpose": "revocation", "encodedList": "uH4sI"}}
    out = write_status_list(tmp_path, "revocation-1", signed)
    data = (tmp_path / "revocation-1.json").read_bytes()
    assert data == json.dumps(signed, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    assert (out.list_id, out.url, out.purpose, out.path) == (
        "revocation-1", f"{BASE}/revocation-1", "revocation", tmp_path / "revocation-1.json")
    assert out.sha256 == hashlib.sha256(data).hexdigest()
    index = read_index(tmp_path)
    assert index["lists"][f"{BASE}/revocation-1"] == {
        "file": "revocation-1.json", "purpose": "revocation", "sha256": out.sha256,
        "published": iso(clock.now)}
    assert (tmp_path / "index.json").read_bytes() == json.dumps(index, indent=2, sort_keys=True).encode() + b"\n"


def test_an_index_starts_empty_at_version_1_and_may_grow_past_the_generic_json_bound(tmp_path):
    assert read_index(tmp_path / "nothing-yet") == {"version": 1, "lists": {}}
    lists = {f"{BASE}/revocation-{n}": {"file": f"revocation-{n}.json", "purpose": "revocation",
                                        "sha256": "0" * 64, "published": "2026-06-01T09:00:00Z"}
             for n in range(12_000)}
    (tmp_path / "index.json").write_text(json.dumps({"version": 1, "lists": lists}, indent=2))
    assert (tmp_path / "index.json").stat().st_size > 2_000_000  # a publisher of many lists
    assert len(read_index(tmp_path)["lists"]) == 12_000
