"""POST /credentials/issue with the generic profile (W3C interop runs) against running servers on
127.0.0.1: generic VC 2.0 credentials issue only when [issuer] profiles includes "generic", verify,
fail when tampered or revoked; strict JSON-LD, issuer, cryptosuite and status refusals; ECVET
credentials keep the ECVET checks."""
from __future__ import annotations

import copy
import json
import uuid

import pytest

from serve_helpers import assert_problem, running_server, unsigned_transcript

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
V2, EXAMPLES = "https://www.w3.org/ns/credentials/v2", "https://www.w3.org/ns/credentials/examples/v2"
HOST_DID = "did:key:z6Mksq6zm1SAjQECE3RajjixppcrrGGeuSeaf4YzLVkWwN99"  # the example host key


def alumni(**changes) -> dict:
    """As the W3C vc-di-eddsa unsigned.json, without its issuer (the server fills in its own)."""
    doc = {"@context": [V2, EXAMPLES], "id": f"urn:uuid:{uuid.uuid4()}",
           "type": ["VerifiableCredential", "AlumniCredential"], "name": "Alumni Credential",
           "description": "A minimum viable example of an Alumni Credential.", "validFrom": "2023-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:abcdefgh", "alumniOf": "The School of Examples"}}
    doc.update(changes)
    return {k: v for k, v in doc.items() if v is not None}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("generic-home"), profiles=("ecvet", "generic")) as srv:
        yield srv


@pytest.fixture(scope="module")
def client(server):
    with server.client() as c:
        yield c


def post_issue(client, server, credential, **options):
    return client.post("/credentials/issue", json={"credential": credential, "options": options}, headers=server.auth)


def verify(client, vc):
    return client.post("/credentials/verify", json={"verifiableCredential": vc})


def check(body, check_id):
    return next(c for c in body["checks"] if c["id"] == check_id)


def test_w3c_eddsa_vector_issues_verifies_and_tampering_fails(client, server, shared_dir):
    unsigned = json.loads((shared_dir / "vectors/vc-di-eddsa/TestVectors/unsigned.json").read_text())
    assert unsigned["issuer"] == "https://vc.example/issuers/5678"  # not ours: the suites configure the issuer
    unsigned["issuer"] = HOST_DID
    r = post_issue(client, server, unsigned)
    assert r.status_code == 201, r.text
    vc = r.json()["verifiableCredential"]
    assert vc["id"] == unsigned["id"] and vc["credentialSubject"] == unsigned["credentialSubject"]
    assert vc["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert verify(client, vc).status_code == 200
    forged = copy.deepcopy(vc)
    forged["credentialSubject"]["alumniOf"] = "The School of Forgeries"
    body = assert_problem(verify(client, forged), 422)
    assert check(body, "proof")["outcome"] == "failed"


def test_generic_issue_verify_then_revoke(client, server):
    r = post_issue(client, server, alumni(id=None, validUntil="2099-01-01T00:00:00Z"),
                   created="2026-01-02T03:04:05Z", credentialStatus={"type": "BitstringStatusListEntry"})
    assert r.status_code == 201, r.text
    vc = r.json()["verifiableCredential"]
    assert vc["issuer"] == HOST_DID and vc["id"].startswith("urn:uuid:")
    assert vc["proof"]["created"] == "2026-01-02T03:04:05Z"
    assert {e["statusPurpose"] for e in vc["credentialStatus"]} == {"revocation", "suspension"}
    assert all(e["statusListCredential"].startswith(server.url + "/status/") for e in vc["credentialStatus"])
    r = verify(client, vc)
    assert r.status_code == 200, r.text
    body = r.json()
    assert check(body, "status")["outcome"] == "passed"
    assert check(body, "schema")["outcome"] == "not_checked"

    r = client.post("/status", headers=server.auth, json={
        "credentialId": vc["id"], "credentialStatus": [{"type": "BitstringStatusListEntry", "status": "revoked"}]})
    assert r.status_code == 200, r.text
    assert check(assert_problem(verify(client, vc), 422), "status")["code"] == "CREDENTIAL_REVOKED"


def test_cryptosuite_option(client, server):
    r = post_issue(client, server, alumni(), cryptosuite="eddsa-jcs-2022")
    assert r.status_code == 201, r.text
    vc = r.json()["verifiableCredential"]
    assert vc["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert verify(client, vc).status_code == 200
    for wrong in ("ecdsa-rdfc-2019", "bbs-2023"):
        body = assert_problem(post_issue(client, server, alumni(), cryptosuite=wrong), 422)
        assert body["code"] == "CRYPTOSUITE_NOT_SUPPORTED" and "eddsa-rdfc-2022" in body["detail"]


def test_undefined_term_refused(client, server):
    doc = alumni(**{"@context": [V2], "type": ["VerifiableCredential"]})  # alumniOf: no @vocab in v2 alone
    body = assert_problem(post_issue(client, server, doc), 422)
    assert body["code"] == "DATA_LOSS_DETECTION" and "alumniOf" in body["detail"]


@pytest.mark.parametrize("changes,code", [
    ({"issuer": "did:key:z6Mku5cfw33qTV17B5KBzNGn6RpcqYABjLFzviZr2Bre6omS"}, "ISSUER_KEY_MISMATCH"),
    ({"issuer": "https://vc.example/issuers/5678"}, "ISSUER_KEY_MISMATCH"),
    ({"validUntil": "2022-01-01T00:00:00Z"}, "INVALID_PERIOD"),
    ({"validFrom": "1 January 2023"}, "INVALID_DATE"),
    ({"id": "alumni-1"}, "INVALID_ID"),
    ({"@context": [V2, 5]}, "INLINE_CONTEXT"),
    ({"credentialSubject": None}, "NO_SUBJECT"),
    ({"credentialSchema": {"id": "https://example.org/schema.json"}}, "MISSING_TYPE"),
    ({"evidence": [{"id": "https://example.org/evidence/1"}]}, "MISSING_TYPE"),
    ({"relatedResource": ["https://www.w3.org/ns/credentials/v2"]}, "INVALID_RELATED_RESOURCE"),
    ({"relatedResource": {"id": "https://www.w3.org/ns/credentials/v2", "digestMultibase": "u" + "A" * 43}},
     "RELATED_RESOURCE_DIGEST_MISMATCH"),
])
def test_structure_refusals(client, server, changes, code):
    body = assert_problem(post_issue(client, server, alumni(**changes)), 422)
    assert body["code"] == code, body
    if code != "ISSUER_KEY_MISMATCH":  # structure refusals list their issues
        assert body["issues"], body


def test_null_issuer_refused_absent_issuer_filled_in(client, server):
    body = assert_problem(post_issue(client, server, {**alumni(), "issuer": None}), 422)
    assert body["code"] == "INVALID_ISSUER"
    r = post_issue(client, server, alumni())
    assert r.status_code == 201 and r.json()["verifiableCredential"]["issuer"] == HOST_DID


def test_inline_context_and_own_status_are_signed(client, server):
    """Generic profile: an inline context object is processed strictly (its terms are defined, so
    they are signed); a credential's own credentialStatus is kept as given (no registry entry)."""
    doc = alumni(**{"@context": [V2, EXAMPLES, {"ExampleStatus": "https://example.org/ns#ExampleStatus"}],
                    "credentialStatus": {"id": "https://example.org/status/1", "type": "ExampleStatus"}})
    r = post_issue(client, server, doc)
    assert r.status_code == 201, r.text
    vc = r.json()["verifiableCredential"]
    assert vc["credentialStatus"] == doc["credentialStatus"] and vc["@context"] == doc["@context"]
    both = post_issue(client, server, doc, credentialStatus={"type": "BitstringStatusListEntry"})
    assert assert_problem(both, 422)["code"] == "STATUS_CONFLICT"
    undefined = {"@context": [V2, {"Other": "https://example.org/ns#Other"}], "type": ["VerifiableCredential"],
                 "credentialSubject": {"id": "did:example:x"}, "credentialStatus": {"type": "ExampleStatus"}}
    assert assert_problem(post_issue(client, server, undefined), 422)["code"] == "UNDEFINED_TYPE"


def test_bad_status_option(client, server):
    assert_problem(post_issue(client, server, alumni(), credentialStatus={"type": "StatusList2021Entry"}), 400)


def test_ecvet_credentials_keep_the_ecvet_checks(client, server):
    r = post_issue(client, server, unsigned_transcript())
    assert r.status_code == 201, r.text
    body = verify(client, r.json()["verifiableCredential"]).json()
    assert check(body, "schema")["outcome"] == "passed"
    broken = unsigned_transcript()
    del broken["credentialSubject"]["hasClaim"]
    assert assert_problem(post_issue(client, server, broken), 422)["code"] == "SCHEMA_INVALID"
    # ECVET-looking but with a generic type: still the ECVET schema, never the generic checks
    disguised = unsigned_transcript()
    disguised["type"] = ["VerifiableCredential"]
    body = assert_problem(post_issue(client, server, disguised), 422)
    assert body["code"] == "SCHEMA_INVALID" and "$.type" in body["detail"]


def test_ecvet_only_by_default(tmp_path):
    with running_server(tmp_path) as srv, srv.client() as c:
        body = assert_problem(post_issue(c, srv, alumni()), 422)
        assert body["code"] == "PROFILE_NOT_ENABLED"
        assert 'profiles = ["ecvet", "generic"]' in body["detail"] and "not an ECVET credential" in body["detail"]
        assert post_issue(c, srv, unsigned_transcript()).status_code == 201


def test_generic_only_and_no_registry(tmp_path):
    with running_server(tmp_path, profiles=("generic",), registry=False) as srv, srv.client() as c:
        assert assert_problem(post_issue(c, srv, unsigned_transcript()), 422)["code"] == "PROFILE_NOT_ENABLED"
        r = post_issue(c, srv, alumni())
        assert r.status_code == 201, r.text
        assert "credentialStatus" not in r.json()["verifiableCredential"]
        body = assert_problem(post_issue(c, srv, alumni(), credentialStatus={"type": "BitstringStatusListEntry"}), 422)
        assert body["code"] == "STATUS_NOT_AVAILABLE"


def test_config_file_switch(tmp_path):
    from ecvet_credentials.core.errors import InputError
    from ecvet_credentials.serve.config import load_config

    path = tmp_path / "serve.toml"
    path.write_text('[issuer]\nprofiles = ["ecvet", "generic"]\n')
    assert load_config(path).profiles == ("ecvet", "generic")
    assert load_config(None).profiles == ("ecvet",)
    for bad in ('[]', '["ecvet", "anything"]', '"generic"'):
        path.write_text(f"[issuer]\nprofiles = {bad}\n")
        with pytest.raises(InputError, match="profiles"):
            load_config(path)
