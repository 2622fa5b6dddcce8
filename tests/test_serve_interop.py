"""The service's documented interop configuration (examples/serve-interop.toml): [verify] checks and
inline_contexts for generic documents, ECVET credentials keeping every check, and status lists in
the JSON media type a client asks for. Servers on 127.0.0.1 only."""
from __future__ import annotations

from pathlib import Path

import pytest

from ecvet_credentials.core.errors import InputError
from ecvet_credentials.crypto.keys import KeyPair, load_key_file
from ecvet_credentials.core.paths import data_dir
from ecvet_credentials.proofs import sign
from ecvet_credentials.serve.config import load_config
from serve_helpers import assert_problem, running_server, unsigned_transcript

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
V2 = "https://www.w3.org/ns/credentials/v2"
GENERIC_CHECKS = ("contexts", "proof", "validity-period", "status", "holder-binding")
REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def interop(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("interop-home"), profiles=("ecvet", "generic"),
                        verify_checks=GENERIC_CHECKS, verify_inline_contexts=True) as srv:
        yield srv


@pytest.fixture(scope="module")
def strict(tmp_path_factory):
    with running_server(tmp_path_factory.mktemp("strict-home")) as srv:
        yield srv


def _third_party_credential() -> dict:
    """As the W3C suites send: signed by a key no trust registry knows, with an inline context."""
    key = KeyPair.generate("Ed25519")
    doc = {"@context": [V2, {"AlumniCredential": "https://example.org/#AlumniCredential"}],
           "type": ["VerifiableCredential", "AlumniCredential"], "issuer": key.did,
           "credentialSubject": {"id": "did:example:subject"}}
    return sign(doc, key)


def _verify(server, document, **options):
    with server.client() as c:
        return c.post("/credentials/verify", json={"verifiableCredential": document, "options": options})


def test_generic_default_checks_verify_a_third_party_credential(interop, strict):
    vc = _third_party_credential()
    r = _verify(interop, vc)
    assert r.status_code == 200, r.text
    outcomes = {c["id"]: c["outcome"] for c in r.json()["checks"]}
    assert outcomes["proof"] == "passed" and outcomes["contexts"] == "passed"
    assert outcomes["issuer-trusted"] == "not_checked"  # left out by [verify] checks, not passed
    # the default policy (no [verify] section) refuses the same credential: inline context, untrusted issuer
    body = assert_problem(_verify(strict, vc), 422)
    failed = {c["id"]: c["code"] for c in body["checks"] if c["outcome"] == "failed"}
    assert failed["contexts"] == "INLINE_CONTEXT" and failed["issuer-trusted"] == "ISSUER_NOT_TRUSTED"
    # a tampered one still fails under the generic checks
    vc["credentialSubject"]["id"] = "did:example:other"
    assert assert_problem(_verify(interop, vc), 422)["checks"]


def test_ecvet_credentials_keep_every_check(interop):
    """An ECVET transcript signed validly but breaking its schema: the generic check set would pass it,
    the server still applies the ECVET policy to it."""
    host = load_key_file(data_dir("keys-example") / "host.key", passphrase=b"ecvet-example-do-not-use")
    transcript = unsigned_transcript()
    del transcript["credentialSubject"]["hasClaim"]
    body = assert_problem(_verify(interop, sign(transcript, host)), 422)
    outcomes = {c["id"]: c["outcome"] for c in body["checks"]}
    assert outcomes["proof"] == "passed" and outcomes["schema"] == "failed"


def test_request_checks_win_over_the_configured_default(interop):
    vc = _third_party_credential()
    body = assert_problem(_verify(interop, vc, checks=["proof", "issuer-trusted"]), 422)
    assert [c["code"] for c in body["checks"] if c["outcome"] == "failed"] == ["ISSUER_NOT_TRUSTED"]


def test_status_list_in_the_media_type_asked_for(interop):
    with interop.client() as c:
        issued = c.post("/credentials/issue", headers=interop.auth, json={"credential": {
            "@context": [V2], "type": ["VerifiableCredential"], "credentialSubject": {"id": "did:example:s"}}})
        assert issued.status_code == 201, issued.text
        url = issued.json()["verifiableCredential"]["credentialStatus"][0]["statusListCredential"]
        path = url.split("127.0.0.1", 1)[1].split("/", 1)[1]
        cases = {"": "application/vc", "*/*": "application/vc",
                 "application/ld+json, application/json": "application/ld+json",
                 "application/json": "application/json",
                 "application/vc;q=0.5, application/json": "application/json"}
        bodies = []
        for accept, expected in cases.items():
            r = c.get("/" + path, headers={"Accept": accept} if accept else {})
            assert r.status_code == 200 and r.headers["content-type"].startswith(expected), (accept, r.headers)
            assert "Accept" in r.headers.get("vary", "")
            bodies.append(r.json())
        assert all(b == bodies[0] for b in bodies) and "BitstringStatusListCredential" in bodies[0]["type"]


def test_verify_section_of_the_config(tmp_path):
    config = tmp_path / "serve.toml"
    config.write_text('[verify]\nchecks = ["proof", "credentialStatus", "validity-period"]\ninline_contexts = true\n')
    cfg = load_config(config)
    assert cfg.verify_checks == ("proof", "status", "validity-period") and cfg.verify_inline_contexts
    config.write_text('[verify]\nchecks = ["proof", "vibes"]\n')
    with pytest.raises(InputError, match="verify.checks"):
        load_config(config)
    assert load_config(None).verify_checks is None  # the default: every check (the ECVET policy)


def test_the_interop_example_config_loads():
    cfg = load_config(REPO / "examples" / "serve-interop.toml")
    assert "generic" in cfg.profiles and cfg.verify_inline_contexts
    assert "issuer-trusted" not in cfg.verify_checks and "proof" in cfg.verify_checks


def _presentation(holder_key, credentials, *, holder=True, challenge="c-1"):
    vp = {"@context": [V2], "type": ["VerifiablePresentation"]}
    if holder:
        vp["holder"] = holder_key.did
    if credentials:
        vp["verifiableCredential"] = credentials
    return sign(vp, holder_key, purpose="authentication", challenge=challenge)


def _verify_vp(server, vp, **options):
    with server.client() as c:
        return c.post("/presentations/verify", json={"verifiablePresentation": vp, "options": options})


def test_generic_presentations_are_bound_vc_api_style(interop, strict):
    holder = KeyPair.generate("Ed25519")
    vc = _third_party_credential()  # about did:example:subject, not the holder
    for vp in (_presentation(holder, [vc]), _presentation(holder, [], holder=False)):
        r = _verify_vp(interop, vp, challenge="c-1")
        assert r.status_code == 200, r.text
    # the default policy keeps its rules: holder = subject, a challenge, credentials
    assert assert_problem(_verify_vp(strict, _presentation(holder, [vc]), challenge="c-1"), 422)
    # what the generic binding still refuses: a holder who did not sign, a forged credential inside
    other = KeyPair.generate("Ed25519")
    impostor = dict(_presentation(other, [vc]), holder=holder.did)
    impostor = sign({k: v for k, v in impostor.items() if k != "proof"}, other, purpose="authentication",
                    challenge="c-1")
    body = assert_problem(_verify_vp(interop, impostor, challenge="c-1"), 422)
    assert {c["id"]: c["code"] for c in body["checks"]}["holder-binding"] == "HOLDER_KEY_MISMATCH"
    forged = dict(vc, credentialSubject={"id": "did:example:else"})
    body = assert_problem(_verify_vp(interop, _presentation(holder, [forged]), challenge="c-1"), 422)
    assert {c["id"]: c["code"] for c in body["checks"]}["credentials"] == "CREDENTIAL_NOT_VERIFIED"
    # the verifier's challenge is still checked when sent
    assert assert_problem(_verify_vp(interop, _presentation(holder, [vc]), challenge="c-2"), 422)
