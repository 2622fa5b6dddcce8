"""`ecvet serve` API against a running server on 127.0.0.1: the issue -> verify -> revoke -> verify
journey (the verifier reads the server's own status lists from its registry, no HTTP to itself),
presentations, QR, recognition, and every endpoint's bad inputs (always 4xx problem details)."""
from __future__ import annotations

import copy
import json

import pytest

from serve_helpers import KEYS, PASSPHRASE, TOKEN, assert_problem, dumps, running_server, unsigned_transcript

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory, demo_dir):
    with running_server(tmp_path_factory.mktemp("serve-home"), status_directory=demo_dir / "status") as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


def issue(client, server, credential=None, **kw):
    r = client.post("/credentials/issue", json={"credential": credential or unsigned_transcript(), "options": {}},
                    headers=server.auth, **kw)
    assert r.status_code == 201, r.text
    return r.json()["verifiableCredential"]


def verify(client, vc, **options):
    return client.post("/credentials/verify", json={"verifiableCredential": vc, "options": options})


def check(body, check_id):
    return next(c for c in body["checks"] if c["id"] == check_id)


# --- the journey -------------------------------------------------------------------------------
def test_issue_verify_revoke_then_verify_fails(client, server):
    vc = issue(client, server)
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    urls = {e["statusPurpose"]: e["statusListCredential"] for e in vc["credentialStatus"]}
    assert set(urls) == {"revocation", "suspension"}
    assert all(u.startswith(server.url + "/status/") for u in urls.values())

    r = verify(client, vc)
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verified"] is True and check(body, "status")["outcome"] == "passed"
    assert check(body, "issuer-trusted")["outcome"] == "passed"

    listed = client.get(urls["revocation"].removeprefix(server.url))
    assert listed.status_code == 200 and listed.headers["content-type"].startswith("application/vc")
    assert listed.json()["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed.json()["proof"]["proofPurpose"] == "assertionMethod"
    # content negotiation and cache validators: a revalidation costs a 304 and no body
    path = urls["revocation"].removeprefix(server.url)
    as_json = client.get(path, headers={"Accept": "application/json"})
    assert as_json.headers["content-type"].startswith("application/json") and as_json.json() == listed.json()
    assert listed.headers["etag"] and "max-age=" in listed.headers["cache-control"] and listed.headers["vary"] == "Accept"
    again = client.get(path, headers={"If-None-Match": listed.headers["etag"]})
    assert again.status_code == 304 and again.content == b""

    r = client.post("/status", headers=server.auth, json={
        "credentialId": vc["id"], "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}],
        "reason": "test: wrong grade"})
    assert r.status_code == 200, r.text
    assert r.json() == {"credentialId": vc["id"], "state": "revoked", "changed": True}

    r = verify(client, vc)
    body = assert_problem(r, 422)
    assert body["verified"] is False
    assert check(body, "status")["code"] == "CREDENTIAL_REVOKED"
    # the published list (signed again after the change) has the bit set too
    from ecvet_credentials.status.bitstring import BitstringStatusList

    doc = client.get(urls["revocation"].removeprefix(server.url)).json()
    index = int(next(e for e in vc["credentialStatus"] if e["statusPurpose"] == "revocation")["statusListIndex"])
    assert BitstringStatusList.decode(doc["credentialSubject"]["encodedList"]).get(index)

    # revocation is final
    r = client.post("/status", headers=server.auth, json={
        "credentialId": vc["id"], "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "active"}]})
    assert_problem(r, 409)


def test_suspend_and_reinstate(client, server):
    vc = issue(client, server)
    change = lambda status: client.post("/status", headers=server.auth, json={  # noqa: E731
        "credentialId": vc["id"], "credentialStatus": [{"type": "BitstringStatusListEntry", "status": status}]})
    assert change("suspended").json()["state"] == "suspended"
    assert check(assert_problem(verify(client, vc), 422), "status")["code"] == "CREDENTIAL_SUSPENDED"
    r = change("active")
    assert r.json() == {"credentialId": vc["id"], "state": "issued", "changed": True}
    assert verify(client, vc).status_code == 200
    # the VC-API boolean form
    r = client.post("/status", headers=server.auth, json={"credentialId": vc["id"], "credentialStatus": [
        {"type": "BitstringStatusListEntry", "statusPurpose": "suspension", "status": True}]})
    assert r.json()["state"] == "suspended"


def test_verify_options_and_tampering(client, server):
    vc = issue(client, server)
    r = verify(client, vc, checks=["proof"])
    assert r.status_code == 200 and check(r.json(), "status")["code"] == "NOT_REQUESTED"
    assert_problem(verify(client, vc, checks=["nonsense"]), 400)
    assert_problem(verify(client, vc, checks="proof"), 400)
    forged = copy.deepcopy(vc)
    forged["credentialSubject"]["givenName"] = "Mallory"
    body = assert_problem(verify(client, forged), 422)
    assert check(body, "proof")["outcome"] == "failed"
    assert "proof" in body["detail"]


def test_issue_refusals(client, server):
    other = unsigned_transcript()
    other["issuer"] = dict(other["issuer"], id="did:key:z6Mku5cfw33qTV17B5KBzNGn6RpcqYABjLFzviZr2Bre6omS")
    body = assert_problem(client.post("/credentials/issue", json={"credential": other}, headers=server.auth), 422)
    assert body["code"] == "ISSUER_KEY_MISMATCH"
    generic = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"],
               "credentialSubject": {"id": "did:example:1"}}
    body = assert_problem(client.post("/credentials/issue", json={"credential": generic}, headers=server.auth), 422)
    assert "not an ECVET credential" in body["detail"]
    broken = unsigned_transcript()
    broken["credentialSubject"]["undefinedTerm"] = 1
    assert_problem(client.post("/credentials/issue", json={"credential": broken}, headers=server.auth), 422)
    assert_problem(client.post("/credentials/issue", json={"credential": unsigned_transcript(),
                                                           "options": {"created": "yesterday"}}, headers=server.auth), 400)


def test_presentation_verify(client, server):
    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.verify.presentation import sign_presentation

    vc = issue(client, server)
    learner = load_key_file(KEYS / "learner.key", passphrase=PASSPHRASE)
    vp = sign_presentation([vc], learner, challenge="c-123", domain="employer.example")
    ok = client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                    "options": {"challenge": "c-123", "domain": "employer.example"}})
    assert ok.status_code == 200, ok.text
    assert ok.json()["credentials"][0]["verified"] is True
    bad = client.post("/presentations/verify", json={"verifiablePresentation": vp,
                                                     "options": {"challenge": "other", "domain": "employer.example"}})
    assert assert_problem(bad, 422)["verified"] is False
    assert_problem(client.post("/presentations/verify", json={"verifiablePresentation": vc}), 400)
    assert_problem(client.post("/credentials/verify", json={"verifiableCredential": vp}), 400)


def test_verify_qr(client, demo_dir):
    png = (demo_dir / "transcript-qr.png").read_bytes()
    la = (demo_dir / "learning-agreement.json").read_bytes()
    r = client.post("/verify/qr", files={"file": ("pt.png", png, "image/png"),
                                         "agreement": ("la.json", la, "application/json")})
    assert r.status_code == 200, r.text
    assert check(r.json(), "agreement-match")["outcome"] == "passed"
    # the demo's codes are self-contained: without the agreement they verify, only the match is not checked
    r = client.post("/verify/qr", content=png, headers={"content-type": "image/png"})
    assert r.status_code == 200 and r.json()["verified"] is True, r.text[:300]
    assert check(r.json(), "agreement-match")["outcome"] == "not_checked"
    assert_problem(client.post("/verify/qr", content=b"\x89PNG\r\n\x1a\nnot really", headers={"content-type": "image/png"}), 400)
    assert_problem(client.post("/verify/qr", content=b"{}", headers={"content-type": "image/png"}), 400)
    assert_problem(client.post("/verify/qr", content=b"{}", headers={"content-type": "application/json"}), 415)


def test_recognize(tmp_path, demo_dir):
    pt = json.loads((demo_dir / "transcript.json").read_text())
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    with running_server(tmp_path, key="home", status_directory=demo_dir / "status") as home, home.client() as c:
        body = {"transcript": pt, "agreement": la, "responsible": "Laura Bianchi", "role": "Head teacher"}
        assert_problem(c.post("/ecvet/recognize", json=body), 401)
        r = c.post("/ecvet/recognize", json=body, headers=home.auth)
        assert r.status_code == 201, r.text
        rec = r.json()["verifiableCredential"]
        assert "EcvetRecognition" in rec["type"]
        assert c.post("/credentials/verify", json={"verifiableCredential": rec}).status_code == 200
        assert_problem(c.post("/ecvet/recognize", json=body, headers=home.auth), 409)   # one per transcript
        forged = copy.deepcopy(pt)
        forged["id"] = "urn:uuid:00000000-0000-4000-8000-000000000000"
        refused = assert_problem(c.post("/ecvet/recognize", json=dict(body, transcript=forged), headers=home.auth), 422)
        assert any(r["check"] == "proof" for r in refused["reasons"])
        assert_problem(c.post("/ecvet/recognize", json=dict(body, decisionDate="soon"), headers=home.auth), 400)
    # the host's server is not the agreement's home institution
    with running_server(tmp_path / "h2", status_directory=demo_dir / "status") as host, host.client() as c:
        body = assert_problem(c.post("/ecvet/recognize", json={"transcript": pt, "agreement": la}, headers=host.auth), 422)
        assert body["code"] == "NOT_HOME_INSTITUTION"


def test_writes_disabled_without_token(tmp_path):
    with running_server(tmp_path, token=None, token_env="ECVET_TEST_NO_SUCH_VARIABLE") as srv, srv.client() as c:
        body = assert_problem(c.post("/credentials/issue", json={"credential": {}}, headers=srv.auth), 403)
        assert "token" in body["detail"]


# --- bad inputs: every endpoint, always a 4xx problem ------------------------------------------
WRITE = ["/credentials/issue", "/status", "/ecvet/recognize"]
JSON_ENDPOINTS = ["/credentials/issue", "/credentials/verify", "/presentations/verify", "/status", "/ecvet/recognize"]


@pytest.mark.parametrize("path", JSON_ENDPOINTS)
def test_bad_json_inputs(client, server, path):
    h = {**server.auth, "content-type": "application/json"}
    cases = [
        (b"{not json", 400), (b"[1, 2]", 400), (b"\"text\"", 400), (b"", 400), (b"\x00\x01binary", 400),
        (b'{"a": 1, "a": 2}', 400), (b"[" * 200 + b"]" * 200, 400), (b'{"x": NaN}', 400),
        (b"{}", 400),                                    # the required members are missing
        (dumps({"verifiableCredential": [], "verifiablePresentation": "x", "credential": 5, "credentialId": 7,
                "transcript": [], "agreement": "la", "credentialStatus": "revoked"}), 400),
    ]
    for data, status in cases:
        body = assert_problem(client.post(path, content=data, headers=h), status)
        assert body["detail"]
    assert_problem(client.post(path, content=b"{}", headers={**server.auth, "content-type": "text/plain"}), 415)
    assert_problem(client.post(path, content=b"{}", headers=server.auth), 415)
    huge = b'{"x": "' + b"a" * (1024 * 1024 + 10) + b'"}'
    assert_problem(client.post(path, content=huge, headers=h), 413)
    # no Content-Length (chunked): counted while it streams
    assert_problem(client.post(path, content=iter([huge[i:i + 65536] for i in range(0, len(huge), 65536)]), headers=h), 413)
    assert_problem(client.get(path), 405)


@pytest.mark.parametrize("path", WRITE)
def test_token_required(client, path):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"},
                    {"Authorization": "Bearer"}, {"Authorization": f"Bearer {TOKEN}x"}):
        r = client.post(path, json={}, headers=headers)
        body = assert_problem(r, 401)
        assert "token" in body["detail"].lower()
        assert r.headers["www-authenticate"].startswith("Bearer")


def test_status_update_bad_inputs(client, server):
    post = lambda body: client.post("/status", json=body, headers=server.auth)  # noqa: E731
    assert_problem(post({"credentialId": "urn:uuid:nope", "credentialStatus": [{"status": "revoked"}]}), 404)
    vc = issue(client, server)
    for entries in ([], [{"status": "gone"}], [{"type": "Other", "status": "revoked"}], ["revoked"],
                    [{"statusPurpose": "revocation", "status": "yes"}]):
        assert_problem(post({"credentialId": vc["id"], "credentialStatus": entries}), 400)


def test_not_found_and_static(client):
    assert_problem(client.get("/status/no-such-list"), 404)
    assert_problem(client.get("/nothing/here"), 404)
    assert_problem(client.get("/static/../config.py"), 404)
    assert_problem(client.get("/static/secret.txt"), 404)
    assert client.get("/static/page.css").status_code == 200
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.") and "/credentials/verify" in doc["paths"]


def test_security_headers(client):
    r = client.get("/")
    assert "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
