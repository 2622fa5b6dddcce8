"""Issuer registry on SQLite and PostgreSQL: allocation, idempotency, status changes, audit, export."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from ecvet_credentials.core.errors import (
    BatchConflictError,
    RegistryError,
    RevocationFinalError,
    UnknownCredentialError,
)
from ecvet_credentials.registry import Registry, credential_digest
from ecvet_credentials.status import BitstringStatusList
from ecvet_credentials.status.entries import parse_status_entry

from test_registry_backends import backend  # noqa: F401  (fixture)

ISSUER = "did:key:z6MkExampleIssuer"
BASE = "https://host.example/status"
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


def alloc(reg, row, batch="b1", **kw):
    kw.setdefault("credential_type", "PersonalTranscript")
    return reg.allocate_and_record(issuer_did=ISSUER, status_base_url=BASE, batch_id=batch, row_key=str(row), **kw)


def test_allocation_returns_spec_entries(backend):
    reg = backend.open()
    a = alloc(reg, 1, now=T0)
    assert a.created and not a.issued and a.credential_id.startswith("urn:uuid:")
    assert [e["statusPurpose"] for e in a.entries] == ["revocation", "suspension"]
    for entry, purpose in zip(a.entries, ("revocation", "suspension")):
        ref = a.status[purpose]
        assert entry == {
            "id": f"{ref.url}#{ref.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": purpose,
            "statusListIndex": str(ref.index),
            "statusListCredential": ref.url,
        }
        assert ref.url == f"{BASE}/{purpose}-1" and 0 <= ref.index < 131072
        parse_status_entry(entry)
    rec = reg.status_of(a.credential_id)
    assert rec.state == "reserved" and rec.reserved_at == T0 and rec.batch_id == "b1" and rec.row_key == reg.row_digest("1")


def test_indexes_are_random_distinct_and_recorded(backend):
    reg = backend.open()
    allocs = [alloc(reg, i) for i in range(120)]
    for purpose in ("revocation", "suspension"):
        idx = [a.status[purpose].index for a in allocs]
        assert len(set(idx)) == 120
        assert idx != sorted(idx)  # not issuance order (herd privacy)
        assert max(idx) - min(idx) > 131072 // 2  # spread over the list
    infos = {i.list_id: i for i in reg.status_lists()}
    assert infos["revocation-1"].allocated == 120 and infos["suspension-1"].allocated == 120
    assert len(reg.list_credentials(batch_id="b1")) == 120


def test_rerun_of_a_row_returns_the_same_reservation(backend):
    reg = backend.open()
    first = alloc(reg, 7)
    again = alloc(reg, 7)
    assert not again.created and again.credential_id == first.credential_id
    assert again.status == first.status and again.entries == first.entries
    assert len(reg.list_credentials()) == 1
    assert {i.list_id: i.allocated for i in reg.status_lists()} == {"revocation-1": 1, "suspension-1": 1}
    with pytest.raises(BatchConflictError):
        alloc(reg, 7, credential_type="Recognition")
    # a re-built document proposing a fresh id gets the recorded one back
    proposed = alloc(reg, 7, credential_id="urn:uuid:00000000-0000-4000-8000-000000000000")
    assert proposed.credential_id == first.credential_id and not proposed.created
    # a proposed id that belongs to another row is refused
    with pytest.raises(BatchConflictError):
        alloc(reg, 8, credential_id=first.credential_id)
    # same row key in another batch is another credential
    assert alloc(reg, 7, batch="b2").credential_id != first.credential_id


def test_caller_chosen_id_and_no_batch(backend):
    reg = backend.open()
    a = reg.allocate_and_record(credential_type="LA", issuer_did=ISSUER, status_base_url=BASE + "/",
                                credential_id="urn:uuid:11111111-1111-4111-8111-111111111111")
    b = reg.allocate_and_record(credential_type="LA", issuer_did=ISSUER, status_base_url=BASE)
    assert a.credential_id == "urn:uuid:11111111-1111-4111-8111-111111111111"
    assert a.batch_id is None and b.credential_id != a.credential_id
    assert a.status["revocation"].url == f"{BASE}/revocation-1"  # trailing slash normalized
    with pytest.raises(ValueError):
        reg.allocate_and_record(credential_type="LA", issuer_did=ISSUER, status_base_url=BASE, batch_id="x")


def test_record_digest_is_idempotent_and_conflicts_are_refused(backend):
    reg = backend.open()
    a = alloc(reg, 1)
    b = alloc(reg, 2)
    signed = {"id": a.credential_id, "credentialStatus": a.entries, "proof": {"proofValue": "z1"}}
    digest = credential_digest(signed)
    assert {r.credential_id for r in reg.pending("b1")} == {a.credential_id, b.credential_id}
    done = reg.record_digest(a.credential_id, digest, now=T0)
    assert done.issued and done.digest == digest
    assert reg.record_digest(a.credential_id, digest.upper()).digest == digest  # same digest: no-op
    assert reg.status_of(a.credential_id).issued_at == T0
    with pytest.raises(BatchConflictError):
        reg.record_digest(a.credential_id, "0" * 64)
    assert [r.credential_id for r in reg.pending()] == [b.credential_id]
    rerun = alloc(reg, 1)
    assert rerun.issued and rerun.digest == digest and not rerun.created
    with pytest.raises(UnknownCredentialError):
        reg.record_digest("urn:uuid:nope", digest)
    with pytest.raises(ValueError):
        reg.record_digest(b.credential_id, "sha256:abc")


def test_credential_digest_bytes_and_jcs():
    doc = {"b": 1, "a": [1, 2]}
    assert credential_digest(doc) == credential_digest({"a": [1, 2], "b": 1})
    assert credential_digest(b'{"a":[1,2],"b":1}') == credential_digest(doc)


def test_new_list_opened_when_capacity_reached(backend):
    reg = backend.open(list_capacity=5)
    allocs = [alloc(reg, i) for i in range(12)]
    lists = {i.list_id: i for i in reg.status_lists()}
    assert sorted(lists) == ["revocation-1", "revocation-2", "revocation-3",
                             "suspension-1", "suspension-2", "suspension-3"]
    assert [lists[f"revocation-{n}"].allocated for n in (1, 2, 3)] == [5, 5, 2]
    assert all(i.size == 131072 and i.capacity == 5 and i.issuer_did == ISSUER for i in lists.values())
    pairs = {(a.status["revocation"].list_id, a.status["revocation"].index) for a in allocs}
    assert len(pairs) == 12
    # lists are per issuer and base URL
    other = reg.allocate_and_record(credential_type="PT", issuer_did="did:key:z6MkOther",
                                    status_base_url="https://other.example/s")
    assert other.status["revocation"].list_id == "revocation-4"
    assert other.status["revocation"].url == "https://other.example/s/revocation-4"


def test_revoke_suspend_reinstate_with_bits_and_audit(backend):
    reg = backend.open()
    a, b = alloc(reg, 1), alloc(reg, 2)
    rev, sus = a.status["revocation"], a.status["suspension"]
    assert reg.suspend(a.credential_id, who="registrar@host", reason="under review", now=T0)
    assert not reg.suspend(a.credential_id, who="registrar@host", reason="again")  # unchanged: no audit row
    assert reg.status_of(a.credential_id).state == "suspended"
    assert reg.status_list_bits(sus.list_id).set_indexes() == [sus.index]
    assert reg.reinstate(a.credential_id, who="registrar@host", reason="cleared", now=T0 + timedelta(hours=1))
    assert reg.status_list_bits(sus.list_id).set_indexes() == []
    assert reg.revoke(a.credential_id, who="director@host", reason="issued in error", now=T0 + timedelta(hours=2))
    assert not reg.revoke(a.credential_id, who="director@host", reason="twice")
    rec = reg.status_of(a.credential_id)
    assert rec.revoked and rec.state == "revoked" and rec.revoked_at == T0 + timedelta(hours=2)
    assert reg.status_list_bits(rev.list_id).set_indexes() == [rev.index]
    with pytest.raises(RevocationFinalError) as err:
        reg.reinstate(a.credential_id, who="x", reason="undo")
    assert err.value.code == "REVOCATION_FINAL"
    with pytest.raises(RevocationFinalError):
        reg.set_status(a.credential_id, "revocation", False, who="x", reason="undo")
    with pytest.raises(RevocationFinalError):
        reg.suspend(a.credential_id, who="x", reason="y")
    log = reg.audit_log(a.credential_id)
    assert [(e.action, e.who, e.reason, e.at) for e in log] == [
        ("suspend", "registrar@host", "under review", T0),
        ("reinstate", "registrar@host", "cleared", T0 + timedelta(hours=1)),
        ("revoke", "director@host", "issued in error", T0 + timedelta(hours=2)),
    ]
    assert reg.audit_log(b.credential_id) == [] and len(reg.audit_log()) == 3
    assert reg.status_of(b.credential_id).state == "reserved"


def test_status_change_errors(backend):
    reg = backend.open()
    a = alloc(reg, 1)
    with pytest.raises(UnknownCredentialError):
        reg.revoke("urn:uuid:unknown", who="x", reason="y")
    with pytest.raises(UnknownCredentialError):
        reg.status_of("urn:uuid:unknown")
    with pytest.raises(ValueError):
        reg.set_status(a.credential_id, "message", True, who="x", reason="y")
    with pytest.raises(ValueError):
        reg.revoke(a.credential_id, who=" ", reason="y")
    with pytest.raises(RegistryError):
        reg.status_list_bits("revocation-99")
    assert reg.audit_log() == []


def test_audit_log_and_indexes_are_append_only(backend):
    reg = backend.open()
    a = alloc(reg, 1)
    reg.revoke(a.credential_id, who="x", reason="y")
    for sql in ("DELETE FROM ecvet_audit_log", "UPDATE ecvet_audit_log SET reason = 'edited'",
                "DELETE FROM ecvet_status_indexes", "UPDATE ecvet_status_indexes SET idx = idx + 1"):
        with pytest.raises(DBAPIError, match="append-only"):
            with reg.engine.begin() as conn:
                conn.execute(text(sql))
    assert reg.audit_log()[0].reason == "y"


def test_status_list_bits_round_trip_encoding(backend):
    reg = backend.open()
    a = alloc(reg, 1)
    reg.revoke(a.credential_id, who="x", reason="y")
    bits = reg.status_list_bits("revocation-1")
    assert isinstance(bits, BitstringStatusList) and bits.size == 131072
    assert BitstringStatusList.decode(bits.encode()).get(a.status["revocation"].index)


def test_export_json_lines(backend):
    reg = backend.open()
    a = alloc(reg, 1)
    reg.record_digest(a.credential_id, "ab" * 32)
    reg.suspend(a.credential_id, who="x", reason="y")
    out = io.StringIO()
    assert reg.export(out) == 4
    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["kind"] for line in lines] == ["status_list", "status_list", "credential", "audit"]
    cred = lines[2]
    assert cred["credential_id"] == a.credential_id and cred["state"] == "suspended" and cred["digest"] == "ab" * 32
    assert cred["suspension"]["index"] == a.status["suspension"].index
    assert lines[1]["purpose"] == "suspension"
    assert BitstringStatusList.decode(lines[1]["encodedList"]).get(a.status["suspension"].index)
    assert lines[3]["action"] == "suspend" and lines[3]["at"].endswith("Z")


def test_newer_schema_is_refused(backend):
    reg = backend.open()
    with reg.engine.begin() as conn:
        conn.execute(text("INSERT INTO ecvet_schema_version (version, description, applied_at) "
                          "VALUES (99, 'future', CURRENT_TIMESTAMP)"))
    with pytest.raises(RegistryError) as err:
        backend.open()
    assert err.value.code == "REGISTRY_SCHEMA_TOO_NEW"


def test_open_defaults_and_env(tmp_path, monkeypatch):
    monkeypatch.delenv("ECVET_DB", raising=False)
    with Registry.open(home=tmp_path / "home") as reg:
        assert reg.backend == "sqlite"
    assert (tmp_path / "home" / "registry.sqlite").is_file()
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "envhome"))
    Registry.open().close()
    assert (tmp_path / "envhome" / "registry.sqlite").is_file()
    monkeypatch.setenv("ECVET_DB", f"sqlite:///{tmp_path / 'from-env.sqlite'}")
    Registry.open(home=tmp_path / "ignored").close()
    assert (tmp_path / "from-env.sqlite").is_file() and not (tmp_path / "ignored").exists()
    explicit = tmp_path / "explicit.sqlite"
    Registry.open(explicit).close()  # an explicit target wins over ECVET_DB
    assert explicit.is_file()
    with Registry.open(tmp_path / "wal.sqlite") as reg, reg.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_open_rejects_unsupported_targets(tmp_path):
    with pytest.raises(RegistryError) as err:
        Registry.open("mysql://u@h/db")
    assert err.value.code == "REGISTRY_UNSUPPORTED"
    with pytest.raises(ValueError):
        Registry.open(tmp_path / "x.sqlite", schema="s")
    with pytest.raises(ValueError):
        Registry.open(tmp_path / "y.sqlite", list_size=1000)
