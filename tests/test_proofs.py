"""Data Integrity proof engine: round trips, tampering, purposes, revocation, sets/chains, junk input."""
from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.crypto.dids import DidResolver, did_web_document
from ecvet_credentials.core.errors import ProofError, StrictJsonLdError
from ecvet_credentials.jsonld.limits import Limits
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import CRYPTOSUITES, sign, verify_proofs

V2 = "https://www.w3.org/ns/credentials/v2"
COMBOS = [("eddsa-rdfc-2022", "Ed25519"), ("eddsa-jcs-2022", "Ed25519"),
          ("ecdsa-rdfc-2019", "P-256"), ("ecdsa-rdfc-2019", "P-384"),
          ("ecdsa-jcs-2019", "P-256"), ("ecdsa-jcs-2019", "P-384")]


@pytest.fixture(scope="module")
def keys():
    return {t: KeyPair.generate(t) for t in ("Ed25519", "P-256", "P-384")}


def credential(issuer="did:example:issuer"):
    return {
        "@context": [V2],
        "id": "urn:uuid:2b1a3c5e-0000-4000-8000-000000000001",
        "type": ["VerifiableCredential"],
        "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z",
        "name": "Personal Transcript",
        "credentialSubject": {"id": "did:example:learner", "name": "Ada"},
    }


def codes(result):
    return [r.code for r in result.results]


@pytest.fixture(scope="module")
def signed(keys):
    return sign(credential(keys["Ed25519"].did), keys["Ed25519"], created="2026-02-01T10:00:00Z")


# --- round trips ---------------------------------------------------------------------------------
@pytest.mark.parametrize("suite,key_type", COMBOS)
def test_sign_verify_round_trip(keys, suite, key_type):
    key = keys[key_type]
    doc = credential(key.did)
    out = sign(doc, key, cryptosuite=suite)
    assert doc == credential(key.did)  # input untouched
    proof = out["proof"]
    assert proof["type"] == "DataIntegrityProof" and proof["cryptosuite"] == suite
    assert proof["verificationMethod"] == key.verification_method_id
    assert proof["proofValue"].startswith("z")
    assert ("@context" in proof) == suite.endswith(("jcs-2022", "jcs-2019"))
    result = verify_proofs(out)
    assert result.verified, codes(result)
    r = result.results[0]
    assert (r.cryptosuite, r.controller, r.purpose, r.code) == (suite, key.did, "assertionMethod", "OK")
    assert result.controllers == [key.did]


def test_created_default_is_utc_seconds(signed, keys, clock):
    clock.now = datetime(2026, 11, 25, 13, 0, 7, 900_000, tzinfo=timezone(timedelta(hours=1)))
    out = sign(credential(), keys["Ed25519"])
    assert out["proof"]["created"] == "2026-11-25T12:00:07Z"  # the injectable clock's time, in UTC, whole seconds


@pytest.mark.parametrize("kwargs", [
    {"cryptosuite": "ecdsa-rdfc-2019"},           # Ed25519 key
    {"cryptosuite": "bbs-2023"},
    {"created": "yesterday"},
    {"created": "2026-01-01T00:00:00"},           # no time zone
    {"purpose": "keyAgreement"},
])
def test_sign_programmer_errors(keys, kwargs):
    with pytest.raises(ValueError):
        sign(credential(), keys["Ed25519"], **kwargs)


def test_sign_type_errors(keys):
    with pytest.raises(TypeError):
        sign([credential()], keys["Ed25519"])
    with pytest.raises(TypeError):
        verify_proofs("not a dict")


def test_sign_refuses_undefined_terms(keys):
    doc = credential()
    doc["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(StrictJsonLdError) as e:
        sign(doc, keys["Ed25519"])
    assert e.value.code == "DATA_LOSS_DETECTION"


# --- tampering -----------------------------------------------------------------------------------
def _tamper(doc, mutate):
    doc = copy.deepcopy(doc)
    mutate(doc)
    return verify_proofs(doc)


@pytest.mark.parametrize("mutate,code", [
    (lambda d: d["credentialSubject"].update(name="Eve"), "INVALID_SIGNATURE"),
    (lambda d: d.update(validFrom="2020-01-01T00:00:00Z"), "INVALID_SIGNATURE"),
    (lambda d: d["proof"].update(created="2026-02-01T10:00:01Z"), "INVALID_SIGNATURE"),
    (lambda d: d["credentialSubject"].update(grade="A"), "DATA_LOSS_DETECTION"),
    (lambda d: d.update(unit={"id": "urn:uuid:1", "points": 5}), "DATA_LOSS_DETECTION"),
    (lambda d: d["credentialSubject"].update(name={"id": "urn:x", "nickname": "A"}), "DATA_LOSS_DETECTION"),
    (lambda d: d["proof"].update(note="trust me"), "DATA_LOSS_DETECTION"),
    (lambda d: d["@context"].append("https://unknown.example/ctx"), "UNKNOWN_CONTEXT"),
])
def test_tampering_is_caught(signed, mutate, code):
    result = _tamper(signed, mutate)
    assert not result.verified and codes(result) == [code]
    assert result.results[0].message and result.code == code


@pytest.mark.parametrize("proof", [None, []])
def test_removed_proof(signed, proof):
    result = _tamper(signed, lambda d: d.update(proof=proof) if proof is not None else d.pop("proof"))
    assert not result.verified and result.results == [] and result.code == "PROOF_MISSING"
    assert "not signed" in result.message


def test_tampering_jcs(keys):
    out = sign(credential(), keys["P-256"], cryptosuite="ecdsa-jcs-2019")
    assert codes(_tamper(out, lambda d: d["credentialSubject"].update(name="Eve"))) == ["INVALID_SIGNATURE"]
    assert codes(_tamper(out, lambda d: d["proof"].update(note="x"))) == ["INVALID_SIGNATURE"]
    # the JCS rule: the document's @context must start with the proof's
    assert codes(_tamper(out, lambda d: d.update({"@context": ["https://www.w3.org/2018/credentials/v1"]}))) == [
        "INVALID_SIGNATURE"]


def test_jcs_is_strict_too(keys):
    # JCS would sign any JSON; the project refuses undefined terms with every suite.
    doc = credential()
    doc["credentialSubject"]["favouriteColour"] = "blue"
    with pytest.raises(StrictJsonLdError) as e:
        sign(doc, keys["Ed25519"], cryptosuite="eddsa-jcs-2022")
    assert e.value.code == "DATA_LOSS_DETECTION"
    # a JCS proof made elsewhere over such a document: the signature is fine, the document is not
    from ecvet_credentials.core import multibase as mb
    from ecvet_credentials.proofs import SUITES, create_verify_data
    key = keys["Ed25519"]
    options = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "created": "2026-01-01T00:00:00Z",
               "verificationMethod": key.verification_method_id, "proofPurpose": "assertionMethod",
               "@context": doc["@context"]}
    data = create_verify_data(SUITES["eddsa-jcs-2022"], doc, options, "Ed25519")
    foreign = dict(doc, proof=dict(options, proofValue=mb.encode(key.sign(data.combined))))
    assert codes(verify_proofs(foreign)) == ["DATA_LOSS_DETECTION"]


def test_proof_by_another_key(signed, keys):
    other = KeyPair.generate("Ed25519")
    # claims another key signed it
    result = _tamper(signed, lambda d: d["proof"].update(verificationMethod=other.verification_method_id))
    assert codes(result) == ["INVALID_SIGNATURE"]
    # a real signature by another key over another document, pasted in
    forged = sign(credential(keys["Ed25519"].did) | {"name": "Forged"}, other, created="2026-02-01T10:00:00Z")
    result = _tamper(signed, lambda d: d.update(proof=forged["proof"]))
    assert codes(result) == ["INVALID_SIGNATURE"]


def test_key_type_mismatch(keys):
    out = sign(credential(), keys["P-256"], cryptosuite="ecdsa-rdfc-2019")
    assert codes(_tamper(out, lambda d: d["proof"].update(cryptosuite="eddsa-rdfc-2022"))) == ["KEY_TYPE_MISMATCH"]


# --- purposes, challenge, domain -----------------------------------------------------------------
def presentation(holder):
    return {"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder}


def test_wrong_purpose(signed):
    result = verify_proofs(signed, purpose="authentication")
    assert codes(result) == ["PURPOSE_MISMATCH"]
    assert verify_proofs(signed, purpose="assertionMethod").verified


def test_challenge_and_domain(keys):
    key = keys["Ed25519"]
    vp = sign(presentation(key.did), key, purpose="authentication", challenge="c-123", domain="verifier.example")
    ok = verify_proofs(vp, purpose="authentication", challenge="c-123", domain="verifier.example")
    assert ok.verified, codes(ok)
    assert codes(verify_proofs(vp, purpose="authentication", challenge="c-999", domain="verifier.example")) == [
        "CHALLENGE_MISMATCH"]
    assert codes(verify_proofs(vp, purpose="authentication", challenge="c-123", domain="evil.example")) == [
        "DOMAIN_MISMATCH"]
    # the challenge is covered by the signature
    assert codes(_tamper(vp, lambda d: d["proof"].update(challenge="c-999"))) == ["INVALID_SIGNATURE"]
    # no challenge in the proof, one expected
    bare = sign(presentation(key.did), key, purpose="authentication")
    assert codes(verify_proofs(bare, purpose="authentication", challenge="c-123")) == ["CHALLENGE_MISMATCH"]
    # an assertion proof cannot stand in for authentication
    assertion = sign(presentation(key.did), key, challenge="c-123")
    assert codes(verify_proofs(assertion, purpose="authentication", challenge="c-123")) == ["PURPOSE_MISMATCH"]


def test_domain_list(keys):
    key = keys["P-256"]
    vp = sign(presentation(key.did), key, cryptosuite="ecdsa-rdfc-2019", purpose="authentication",
              challenge="n", domain=["a.example", "b.example"])
    assert verify_proofs(vp, purpose="authentication", challenge="n", domain="b.example").verified


# --- did:web, rotation, authorization ------------------------------------------------------------
DID = "did:web:host-school.example"


@pytest.fixture(scope="module")
def rotated(keys):
    old, new = KeyPair.generate("Ed25519"), keys["P-256"]
    doc = did_web_document(DID, [{"key": old, "id": "key-1", "revoked": "2025-01-01T00:00:00Z"},
                                 {"key": new, "id": "key-2"}])
    return old, new, DidResolver({DID: doc})


def test_rotated_key_before_and_after_revocation(rotated):
    old, new, resolver = rotated
    before = sign(credential(DID), old, verification_method=f"{DID}#key-1", created="2024-06-01T00:00:00Z")
    after = sign(credential(DID), old, verification_method=f"{DID}#key-1", created="2025-06-01T00:00:00Z")
    at = sign(credential(DID), old, verification_method=f"{DID}#key-1", created="2025-01-01T00:00:00Z")
    current = sign(credential(DID), new, cryptosuite="ecdsa-rdfc-2019", verification_method=f"{DID}#key-2")
    r = verify_proofs(before, resolver=resolver)
    assert r.verified and r.controllers == [DID]
    assert codes(verify_proofs(after, resolver=resolver)) == ["KEY_REVOKED"]
    assert codes(verify_proofs(at, resolver=resolver)) == ["KEY_REVOKED"]
    assert verify_proofs(current, resolver=resolver).verified
    # a revoked key no longer authenticates (it left the authentication relationship)
    vp = sign(presentation(DID), old, verification_method=f"{DID}#key-1", purpose="authentication",
              challenge="x", created="2024-06-01T00:00:00Z")
    assert codes(verify_proofs(vp, resolver=resolver, challenge="x")) == ["PURPOSE_MISMATCH"]


def test_unresolvable_verification_method(rotated):
    old, _, _ = rotated
    out = sign(credential(DID), old, verification_method=f"{DID}#key-1")
    result = verify_proofs(out)  # no registry entry, nothing fetched
    assert codes(result) == ["VERIFICATION_METHOD_UNRESOLVED"]
    assert "trust registry" in result.results[0].message


def test_vm_not_authorized_for_purpose(keys):
    key = keys["Ed25519"]
    did = "did:web:auth-only.example"
    doc = {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"], "id": did,
           "verificationMethod": [{"id": f"{did}#k", "type": "Multikey", "controller": did,
                                   "publicKeyMultibase": key.public_multibase}],
           "authentication": [f"{did}#k"]}
    out = sign(credential(did), key, verification_method=f"{did}#k")
    assert codes(verify_proofs(out, resolver=DidResolver({did: doc}))) == ["PURPOSE_MISMATCH"]


# --- proof sets and chains -----------------------------------------------------------------------
def test_proof_set(keys):
    la = credential("did:example:home")
    s1 = sign(la, keys["Ed25519"], proof_id="urn:uuid:p1")
    s2 = sign(s1, keys["P-256"], cryptosuite="ecdsa-rdfc-2019", proof_id="urn:uuid:p2")
    s3 = sign(s2, keys["P-384"], cryptosuite="ecdsa-jcs-2019")
    assert isinstance(s1["proof"], dict) and len(s3["proof"]) == 3
    result = verify_proofs(s3)
    assert result.verified, codes(result)
    assert result.controllers == [keys[t].did for t in ("Ed25519", "P-256", "P-384")]
    broken = copy.deepcopy(s3)
    broken["proof"][1]["proofValue"] = s3["proof"][0]["proofValue"]
    result = verify_proofs(broken)
    assert not result.verified and codes(result) == ["OK", "INVALID_SIGNATURE", "OK"]
    assert result.controllers == [keys["Ed25519"].did, keys["P-384"].did]


def test_proof_chain(keys):
    s1 = sign(credential(), keys["Ed25519"], proof_id="urn:uuid:first")
    s2 = sign(s1, keys["P-256"], cryptosuite="ecdsa-rdfc-2019", previous_proof="urn:uuid:first")
    assert s2["proof"][1]["previousProof"] == "urn:uuid:first"
    assert verify_proofs(s2).verified
    # changing the first proof breaks the chained one too
    tampered = copy.deepcopy(s2)
    tampered["proof"][0]["created"] = "2000-01-01T00:00:00Z"
    assert codes(verify_proofs(tampered)) == ["INVALID_SIGNATURE", "INVALID_SIGNATURE"]
    with pytest.raises(ProofError) as e:
        sign(s1, keys["Ed25519"], previous_proof="urn:uuid:nope")
    assert e.value.code == "PREVIOUS_PROOF_MISSING"


def test_jcs_chain(keys):
    s1 = sign(credential(), keys["Ed25519"], cryptosuite="eddsa-jcs-2022", proof_id="urn:uuid:a")
    s2 = sign(s1, keys["Ed25519"], cryptosuite="eddsa-jcs-2022", previous_proof=["urn:uuid:a"])
    assert verify_proofs(s2).verified


# --- expiry and junk -----------------------------------------------------------------------------
def test_expires(keys):
    out = sign(credential(), keys["Ed25519"], created="2026-01-01T00:00:00Z", expires="2026-06-01T00:00:00Z")
    assert verify_proofs(out, now=datetime(2026, 3, 1, tzinfo=timezone.utc)).verified
    assert codes(verify_proofs(out, now=datetime(2026, 7, 1, tzinfo=timezone.utc))) == ["PROOF_EXPIRED"]


JUNK_PROOFS = [
    (5, "PROOF_MALFORMED"), ("proof", "PROOF_MALFORMED"), ([None], "PROOF_MALFORMED"),
    ({}, "UNKNOWN_CRYPTOSUITE"), ({"type": "Ed25519Signature2020"}, "UNKNOWN_CRYPTOSUITE"),
    ({"type": "DataIntegrityProof", "cryptosuite": "bbs-2023"}, "UNKNOWN_CRYPTOSUITE"),
    ({"type": "DataIntegrityProof", "cryptosuite": ["eddsa-rdfc-2022"]}, "UNKNOWN_CRYPTOSUITE"),
    ({"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022"}, "PROOF_MALFORMED"),
]


@pytest.mark.parametrize("proof,code", JUNK_PROOFS)
def test_junk_proofs(signed, proof, code):
    doc = copy.deepcopy(signed)
    doc["proof"] = proof
    result = verify_proofs(doc)
    assert not result.verified and codes(result)[0] == code


@pytest.mark.parametrize("field,value,code", [
    ("proofValue", "abc", "PROOF_MALFORMED"),
    ("proofValue", "z0OIl", "PROOF_MALFORMED"),
    ("proofValue", "z", "INVALID_SIGNATURE"),
    ("proofValue", 12, "PROOF_MALFORMED"),
    ("verificationMethod", "did:key:zjunk#zjunk", "VERIFICATION_METHOD_UNRESOLVED"),
    ("verificationMethod", "not a did", "VERIFICATION_METHOD_UNRESOLVED"),
    ("verificationMethod", {"id": "x"}, "PROOF_MALFORMED"),
    ("created", "last tuesday", "PROOF_MALFORMED"),
    ("created", 2026, "PROOF_MALFORMED"),
    ("proofPurpose", "keyAgreement", "PURPOSE_MISMATCH"),
    ("expires", "soon", "PROOF_MALFORMED"),
    ("previousProof", "urn:uuid:missing", "PREVIOUS_PROOF_MISSING"),
    ("previousProof", [1, 2], "PROOF_MALFORMED"),
])
def test_junk_proof_fields(signed, field, value, code):
    result = _tamper(signed, lambda d: d["proof"].update({field: value}))
    assert codes(result) == [code], result.results[0].message


@pytest.mark.parametrize("mutate", [
    lambda d: d.update({"@context": 5}),
    lambda d: d.update({"@context": None}),
    lambda d: d.pop("@context"),
    lambda d: d.update({"@context": [V2, {"name": "http://evil.example/name"}]}),  # redefines a protected term
    lambda d: d.update(credentialSubject=[[[]]]),
    lambda d: d.update(id="not an iri"),
    lambda d: d.update(type=123),
    lambda d: d.update(issuer={"id": 5}),
    lambda d: d["credentialSubject"].update(name=float("1e308")),
])
def test_junk_documents_never_raise(signed, mutate):
    result = _tamper(signed, mutate)
    assert not result.verified
    r = result.results[0]
    assert r.code not in ("OK", "VERIFICATION_ERROR") and r.message, (r.code, r.message)


def test_limits_exceeded(signed):
    result = verify_proofs(signed, limits=Limits(max_depth=1))
    assert codes(result) == ["LIMIT_EXCEEDED"]


def test_messages_are_json_friendly(signed):
    result = _tamper(signed, lambda d: d["credentialSubject"].update(name="Eve"))
    json.dumps([vars(r) for r in result.results])


def test_cryptosuites_constant():
    assert CRYPTOSUITES == ("eddsa-rdfc-2022", "eddsa-jcs-2022", "ecdsa-rdfc-2019", "ecdsa-jcs-2019")


def test_sign_refuses_junk_existing_proof(keys):
    with pytest.raises(ProofError) as e:
        sign(dict(credential(), proof=[5]), keys["Ed25519"])
    assert e.value.code == "PROOF_MALFORMED"


# --- fuzz: whatever JSON lands anywhere, verify_proofs returns a result --------------------------
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
_targets = st.sampled_from([(), ("credentialSubject",), ("proof",)])
_keys = st.sampled_from(["@context", "id", "type", "issuer", "name", "proof", "proofValue", "verificationMethod",
                         "cryptosuite", "created", "proofPurpose", "previousProof", "challenge", "@id", "@type",
                         "credentialSubject", "x"])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(target=_targets, key=_keys, value=_json_values)
def test_fuzz_never_raises(signed, target, key, value):
    doc = copy.deepcopy(signed)
    node = doc
    for part in target:
        node = node[part]
    node[key] = value
    result = verify_proofs(doc)
    for r in result.results:
        assert r.code and r.message and r.code != "VERIFICATION_ERROR", (r.code, r.message)
