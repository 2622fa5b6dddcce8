"""Verifier side: publish signed lists, resolve them (directory, cache, loopback HTTP), check entries."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from ecvet_credentials.core.errors import StatusListUnavailableError
from ecvet_credentials.status import (
    BitstringStatusList,
    ProofCheck,
    StatusListSource,
    build_status_list_credential,
    check_status,
    overall,
    status_entries,
    write_status_list,
)
from ecvet_credentials.status.cache import StatusListCache

from http_helpers import loopback_http

ISSUER = "did:key:z6MkStatusIssuer"
URL_R = "https://status.example/lists/revocation-1"
URL_S = "https://status.example/lists/suspension-1"
T0 = datetime(2026, 5, 1, 12, 0, tzinfo=timezone.utc)


def fake_signer(doc):
    return {**doc, "proof": {"type": "DataIntegrityProof", "proofValue": "zFAKE"}}


def fake_verifier(doc):
    """Accepts only fake_signer's proof, with the issuer as controller (tests the logic, not crypto)."""
    ok = doc.get("proof", {}).get("proofValue") == "zFAKE"
    return ProofCheck(ok, (doc.get("issuer"),) if ok else (), "OK" if ok else "PROOF_INVALID", "fake")


def make_list(url, purpose, set_bits=(), *, issuer=ISSUER, valid_until=T0 + timedelta(days=7), ttl_ms=None,
              valid_from=T0 - timedelta(hours=1)):
    bits = BitstringStatusList()
    for i in set_bits:
        bits.set(i)
    return fake_signer(build_status_list_credential(url, issuer, purpose, bits, valid_from=valid_from,
                                                    valid_until=valid_until, ttl_ms=ttl_ms))


def credential(r_index=10, s_index=20, issuer=ISSUER):
    return {"id": "urn:uuid:c1", "issuer": issuer,
            "credentialStatus": status_entries({"revocation": URL_R, "suspension": URL_S},
                                               {"revocation": r_index, "suspension": s_index}, "urn:uuid:c1")}


def published(tmp_path, rev_bits=(), sus_bits=(), **kw) -> Path:
    d = tmp_path / "pub"
    write_status_list(d, "revocation-1", make_list(URL_R, "revocation", rev_bits, **kw))
    write_status_list(d, "suspension-1", make_list(URL_S, "suspension", sus_bits, **kw))
    return d


def run(cred, source, **kw):
    kw.setdefault("now", T0)
    kw.setdefault("verifier", fake_verifier)
    return check_status(cred, source, **kw)


def test_build_status_list_credential_shape():
    doc = build_status_list_credential(URL_R, ISSUER, "revocation", BitstringStatusList(), valid_from=T0,
                                       valid_until=T0 + timedelta(days=1), ttl_ms=3_600_000)
    assert doc == {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": URL_R,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": ISSUER,
        "validFrom": "2026-05-01T12:00:00Z",
        "validUntil": "2026-05-02T12:00:00Z",
        "credentialSubject": {
            "id": URL_R + "#list", "type": "BitstringStatusList", "statusPurpose": "revocation",
            "encodedList": "uH4sIAAAAAAAAA-3BMQEAAADCoPVPbQwfoAAAAAAAAAAAAAAAAAAAAIC3AYbSVKsAQAAA", "ttl": 3_600_000,
        },
    }
    with pytest.raises(ValueError):
        build_status_list_credential(URL_R, ISSUER, "message", BitstringStatusList(), valid_from=T0,
                                     valid_until=None, ttl_ms=None)


def test_ok_revoked_suspended_from_publish_directory(tmp_path):
    d = published(tmp_path, rev_bits=[11], sus_bits=[21])
    index = json.loads((d / "index.json").read_text())
    assert index["lists"][URL_R]["file"] == "revocation-1.json"
    source = StatusListSource(directory=d)
    checks = run(credential(), source)
    assert [(c.purpose, c.outcome, c.origin) for c in checks] == [
        ("revocation", "ok", "directory"), ("suspension", "ok", "directory")]
    assert overall(checks) == "ok" and checks[0].list_age_seconds is None
    assert [c.outcome for c in run(credential(11, 20), source)] == ["revoked", "ok"]
    assert [c.outcome for c in run(credential(10, 21), source)] == ["ok", "suspended"]
    assert overall(run(credential(11, 21), source)) == "revoked"
    assert run({"id": "x", "issuer": ISSUER}, source) == [] and overall([]) == "none"


def test_republished_list_is_picked_up(tmp_path):
    d = published(tmp_path)
    source = StatusListSource(directory=d)
    assert run(credential(), source)[0].outcome == "ok"
    write_status_list(d, "revocation-1", make_list(URL_R, "revocation", [10], ttl_ms=1000))
    assert run(credential(), source)[0].outcome == "revoked"


def test_invalid_lists_are_never_ok(tmp_path):
    d = tmp_path / "pub"
    bad_proof = {**make_list(URL_R, "revocation"), "proof": {"proofValue": "zFORGED"}}
    write_status_list(d, "revocation-1", bad_proof)
    write_status_list(d, "suspension-1", make_list(URL_S, "suspension", issuer="did:key:z6MkSomeoneElse"))
    checks = run(credential(), StatusListSource(directory=d))
    assert [(c.outcome, c.code) for c in checks] == [
        ("invalid", "STATUS_LIST_PROOF_INVALID"), ("invalid", "STATUS_LIST_ISSUER_MISMATCH")]
    # wrong purpose, and a list whose id is not its URL
    write_status_list(d, "revocation-1", make_list(URL_R, "suspension"))
    write_status_list(d, "other", make_list("https://status.example/lists/other", "suspension"))
    index = json.loads((d / "index.json").read_text())
    index["lists"][URL_S]["file"] = "other.json"  # a list served under another list's URL
    (d / "index.json").write_text(json.dumps(index))
    checks = run(credential(), StatusListSource(directory=d))
    assert [(c.outcome, c.code) for c in checks] == [
        ("invalid", "STATUS_PURPOSE_MISMATCH"), ("invalid", "STATUS_LIST_INVALID")]
    assert "is not its URL" in checks[1].message


def test_issuer_must_also_control_the_signing_key(tmp_path):
    d = published(tmp_path)

    def other_signer(doc):
        ok = doc.get("proof", {}).get("proofValue") == "zFAKE"
        return ProofCheck(ok, ("did:key:z6MkNotTheIssuer",), "OK", "")

    checks = run(credential(), StatusListSource(directory=d), verifier=other_signer)
    assert {c.code for c in checks} == {"STATUS_LIST_ISSUER_MISMATCH"}


def test_index_outside_list_and_malformed_entries(tmp_path):
    source = StatusListSource(directory=published(tmp_path))
    cred = credential(131072, 5)
    assert [(c.outcome, c.code) for c in run(cred, source)][0] == ("invalid", "STATUS_INDEX_OUT_OF_RANGE")
    cred["credentialStatus"][1]["statusListIndex"] = 5
    assert run(cred, source)[1].code == "STATUS_ENTRY_INVALID"


def test_freshness_valid_until_and_not_yet_valid(tmp_path):
    d = published(tmp_path, rev_bits=[11], valid_from=T0 - timedelta(days=8), valid_until=T0 - timedelta(hours=1))
    source = StatusListSource(directory=d)
    checks = run(credential(), source)
    # an expired list is an expired credential: could not check, never a pass or a mere warning (issue 12)
    assert [(c.outcome, c.code) for c in checks] == [("unavailable", "STATUS_LIST_EXPIRED")] * 2
    assert "expired" in checks[0].message
    # a set revocation bit in an expired list is still a revocation (it is final)
    revoked = run(credential(11, 20), source)[0]
    assert revoked.outcome == "revoked" and any("expired" in r for r in revoked.reasons)
    future = published(tmp_path / "f", valid_from=T0 + timedelta(days=1), valid_until=T0 + timedelta(days=2))
    assert run(credential(), StatusListSource(directory=future))[0].code == "STATUS_LIST_NOT_YET_VALID"


def test_offline_cache_reports_age_and_staleness(tmp_path):
    cache = StatusListCache(tmp_path / "cache")
    cache.put(URL_R, make_list(URL_R, "revocation", ttl_ms=24 * 3600 * 1000), T0 - timedelta(hours=2))
    cache.put(URL_S, make_list(URL_S, "suspension", ttl_ms=3600 * 1000), T0 - timedelta(hours=2))
    source = StatusListSource(cache_dir=tmp_path / "cache", offline=True)
    checks = run(credential(), source)
    assert [(c.outcome, c.origin, c.list_age_seconds) for c in checks] == [
        ("ok", "cache", 7200.0), ("stale", "cache", 7200.0)]
    assert "2 hours old" in checks[1].message
    # max_age is the oldest copy accepted: beyond it, never a pass; within it, the ttl still decides
    assert {(c.outcome, c.code) for c in run(credential(), source, max_age=timedelta(minutes=30))} == {
        ("unavailable", "STATUS_LIST_TOO_OLD")}
    assert [c.outcome for c in run(credential(), source, max_age=timedelta(hours=3))] == ["ok", "stale"]
    # offline with nothing cached: unavailable, never ok
    empty = StatusListSource(cache_dir=tmp_path / "empty", offline=True)
    assert {(c.outcome, c.code) for c in run(credential(), empty)} == {("unavailable", "STATUS_LIST_UNAVAILABLE")}


def test_network_refused_unless_host_allowed_and_https(tmp_path, monkeypatch):
    def no_network(*a, **k):
        raise AssertionError("the network must not be touched")

    monkeypatch.setattr("httpx.Client.send", no_network)
    source = StatusListSource(cache_dir=tmp_path / "c")
    checks = run(credential(), source)
    assert {(c.outcome, c.code) for c in checks} == {("unavailable", "STATUS_FETCH_REFUSED")}
    assert "is not allowed" in checks[0].message
    assert source.refusal("http://status.example/x") is not None
    assert StatusListSource(allowed_hosts=["status.example"]).refusal("http://status.example/x") == \
        "status list http://status.example/x is not https"
    assert StatusListSource(allowed_hosts=["status.example"]).refusal(URL_R) is None
    # plain http only for loopback, and only when asked
    assert StatusListSource(allowed_hosts=["127.0.0.1"]).refusal("http://127.0.0.1:1/x") is not None
    assert StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True).refusal("http://127.0.0.1:1/x") is None
    with pytest.raises(StatusListUnavailableError):
        source.get(URL_R, now=T0)


@pytest.fixture
def loopback_server():
    routes: dict[str, bytes] = {}
    hits: list[str] = []

    def respond(path, headers):  # no Content-Length: the body ends when the connection closes
        hits.append(path)
        if path.startswith("/redirect"):
            return 302, {"Location": "https://elsewhere.example/list", "Content-Length": None}, b""
        body = routes.get(path)
        return (200 if body is not None else 404), {"Content-Type": "application/vc+ld+json", "Content-Length": None}, body or b""

    with loopback_http(respond) as base:
        yield base, routes, hits

def test_fetch_from_allowed_loopback_then_cache(tmp_path, loopback_server):
    base, routes, hits = loopback_server
    url_r, url_s = f"{base}/lists/r1", f"{base}/lists/s1"
    routes["/lists/r1"] = json.dumps(make_list(url_r, "revocation", [10], ttl_ms=3600_000)).encode()
    routes["/lists/s1"] = json.dumps(make_list(url_s, "suspension", ttl_ms=3600_000)).encode()
    cred = {"issuer": ISSUER, "credentialStatus": status_entries(
        {"revocation": url_r, "suspension": url_s}, {"revocation": 10, "suspension": 20}, "urn:uuid:c")}
    source = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)
    checks = run(cred, source)
    assert [(c.outcome, c.origin) for c in checks] == [("revoked", "network"), ("ok", "network")]
    assert len(hits) == 2
    run(cred, source, now=T0 + timedelta(minutes=30))
    assert len(hits) == 2  # fresh within ttl: served from memory/cache
    # a new source (another process) reads the disk cache; offline it reports the age
    offline = StatusListSource(cache_dir=tmp_path / "c", offline=True)
    checks = run(cred, offline, now=T0 + timedelta(hours=3))
    assert [(c.outcome, c.origin, c.list_age_seconds) for c in checks] == [
        ("revoked", "cache", 10800.0), ("stale", "cache", 10800.0)]
    # past the ttl online: refetched; if the server fails, the stale copy is reported as stale
    routes.clear()
    online = StatusListSource(cache_dir=tmp_path / "c", allowed_hosts=["127.0.0.1"], allow_http_loopback=True)
    checks = run(cred, online, now=T0 + timedelta(hours=3))
    assert checks[1].outcome == "stale" and any("refresh failed" in r for r in checks[1].reasons)
    assert len(hits) == 4


def test_fetch_limits_and_redirects(tmp_path, loopback_server):
    base, routes, _ = loopback_server
    routes["/big"] = b"{" + b" " * 5000 + b"}"
    routes["/notjson"] = b"<html>"
    source = StatusListSource(allowed_hosts=["127.0.0.1"], allow_http_loopback=True, max_bytes=1000)
    cred = {"issuer": ISSUER, "credentialStatus": [
        {**status_entries({"revocation": f"{base}/big", "suspension": f"{base}/notjson"},
                          {"revocation": 1, "suspension": 1}, "u")[0]},
        {**status_entries({"revocation": f"{base}/redirect", "suspension": f"{base}/notjson"},
                          {"revocation": 1, "suspension": 1}, "u")[1]},
        {**status_entries({"revocation": f"{base}/redirect", "suspension": f"{base}/x"},
                          {"revocation": 1, "suspension": 1}, "u")[0]},
    ]}
    checks = run(cred, source)
    assert [(c.outcome, c.code) for c in checks] == [
        ("invalid", "LIMIT_EXCEEDED"), ("invalid", "STATUS_LIST_NOT_JSON"), ("unavailable", "STATUS_FETCH_REFUSED")]
    assert "redirects to another host" in checks[2].message


def test_real_signature_round_trip(tmp_path):
    """With the proofs API: a list signed by the issuer's key verifies; tampering is caught."""
    from ecvet_credentials import proofs
    from ecvet_credentials.crypto.keys import KeyPair

    key = KeyPair.generate("Ed25519")
    bits = BitstringStatusList()
    bits.set(11)
    unsigned = build_status_list_credential(URL_R, key.did, "revocation", bits, valid_from=T0,
                                            valid_until=T0 + timedelta(days=1), ttl_ms=3600_000)
    d = tmp_path / "pub"
    write_status_list(d, "revocation-1", proofs.sign(unsigned, key))
    cred = credential(11, 0, issuer=key.did)
    cred["credentialStatus"] = cred["credentialStatus"][:1]
    checks = check_status(cred, StatusListSource(directory=d), now=T0)
    assert [(c.outcome, c.code) for c in checks] == [("revoked", "STATUS_REVOKED")]
    assert "list proof verifies" in checks[0].reasons
    # flip the bit back without re-signing: the proof no longer verifies
    doc = json.loads((d / "revocation-1.json").read_text())
    doc["credentialSubject"]["encodedList"] = BitstringStatusList().encode()
    write_status_list(d, "revocation-1", doc)
    checks = check_status(cred, StatusListSource(directory=d), now=T0)
    assert checks[0].outcome == "invalid" and checks[0].code == "STATUS_LIST_PROOF_INVALID"
