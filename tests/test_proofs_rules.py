"""Proof engine rules the round trips do not pin down (each found by mutation testing, `make mutation`):
the context registry and limits reach every canonicalization, the canonical forms shared between the
proofs of one document are keyed by everything they depend on, `expires` at its boundary, the
verifier's clock with and without a zone, a domain is never matched as a substring, revoked keys."""
from __future__ import annotations

import hashlib
import json
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.core.errors import LimitExceededError, UnknownContextError
from ecvet_credentials.crypto.dids import DidResolver, did_web_document
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.jsonld.contexts import ContextRegistry
from ecvet_credentials.jsonld.limits import Limits
from ecvet_credentials.proofs import sign, verify_proofs

from test_proofs import V2, credential

EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"  # bundled, with @vocab: any term is defined
SCHOOL_CTX = "https://school.example/ctx/v1"
RDFC, JCS = "eddsa-rdfc-2022", "eddsa-jcs-2022"
CREATED = "2026-02-01T10:00:00Z"


@pytest.fixture(scope="module")
def key():
    return KeyPair.generate("Ed25519")


def codes(result):
    return [r.code for r in result.results]


@pytest.fixture(scope="module")
def school_registry(tmp_path_factory, repo_dir):
    """A registry with one context the bundled one does not have (defines favouriteColour)."""
    root = tmp_path_factory.mktemp("contexts")
    bundled = json.loads((repo_dir / "contexts" / "index.json").read_text())["contexts"][V2]
    (root / "v2.jsonld").write_bytes((repo_dir / "contexts" / bundled["file"]).read_bytes())
    school = json.dumps({"@context": {"favouriteColour": "https://school.example/vocab#favouriteColour"}}).encode()
    (root / "school.jsonld").write_bytes(school)
    index = {"version": 1, "contexts": {
        V2: {"file": "v2.jsonld", "sha256": bundled["sha256"]},
        SCHOOL_CTX: {"file": "school.jsonld", "sha256": hashlib.sha256(school).hexdigest()}}}
    (root / "index.json").write_text(json.dumps(index))
    return ContextRegistry(root)


def _school_credential(did):
    doc = credential(did)
    doc["@context"] = [V2, SCHOOL_CTX]
    doc["credentialSubject"]["favouriteColour"] = "blue"
    return doc


# --- what sign hands back -------------------------------------------------------------------------
def test_the_signed_document_shares_nothing_with_the_input(key):
    doc = credential(key.did)
    out = sign(doc, key, cryptosuite=JCS, created=CREATED)
    out["credentialSubject"]["name"] = "Eve"
    out["proof"]["@context"].append("https://example.org/x")
    assert doc == credential(key.did)


# --- the caller's context registry and limits reach every canonicalization -------------------------
@pytest.mark.parametrize("suite", [RDFC, JCS])
def test_sign_and_verify_use_the_callers_context_registry(key, school_registry, suite):
    doc = _school_credential(key.did)
    with pytest.raises(UnknownContextError):  # the bundled registry does not know the school's context
        sign(doc, key, cryptosuite=suite, created=CREATED)
    signed = sign(doc, key, cryptosuite=suite, created=CREATED, registry=school_registry)
    assert verify_proofs(signed, registry=school_registry).verified
    assert codes(verify_proofs(signed)) == ["UNKNOWN_CONTEXT"]


def _big_credential(did):
    doc = credential(did)
    doc["credentialSubject"] = [{"id": f"did:example:{i}", "name": f"Learner {i}"} for i in range(10)]
    return doc


@pytest.mark.parametrize("suite", [RDFC, JCS])
def test_sign_and_verify_apply_the_callers_limits_to_the_document(key, suite):
    tight = Limits(max_quads=15)  # the proof configuration fits, the 20-odd quads of the document do not
    doc = _big_credential(key.did)
    with pytest.raises(LimitExceededError):
        sign(doc, key, cryptosuite=suite, created=CREATED, limits=tight)
    signed = sign(doc, key, cryptosuite=suite, created=CREATED)
    assert codes(verify_proofs(signed, limits=tight)) == ["LIMIT_EXCEEDED"]
    assert verify_proofs(signed).verified


def test_a_jcs_document_without_context_is_signed_and_verified_as_plain_json(key):
    doc = {"type": ["VerifiableCredential"], "issuer": key.did, "credentialSubject": {"grade": "A"}}
    signed = sign(doc, key, cryptosuite=JCS, created=CREATED)
    assert "@context" not in signed["proof"] and verify_proofs(signed).verified


# --- canonical forms shared between the proofs of one document --------------------------------------
@pytest.mark.parametrize("suite", [RDFC, JCS])
def test_a_proof_under_a_shorter_context_does_not_decide_for_the_others(key, suite):
    """A proof whose @context is a prefix of the document's is checked under that prefix (VC DI): here
    the term then is undefined. Checked first, its failure must not be reused for the full context."""
    doc = credential(key.did)
    doc["@context"] = [V2, EXAMPLES]
    doc["credentialSubject"]["favouriteColour"] = "blue"  # defined by the examples context only
    signed = sign(doc, key, cryptosuite=suite, created=CREATED)
    shorter = {**signed["proof"], "@context": [V2]}
    result = verify_proofs({**signed, "proof": [shorter, signed["proof"]]})
    assert codes(result) == ["DATA_LOSS_DETECTION", "OK"]


def test_ed25519_and_p384_proofs_of_one_document_use_their_own_canonical_form(key):
    """With P-384, RDFC-1.0 hashes with SHA-384, which labels blank nodes differently."""
    doc = credential(key.did)
    doc["credentialSubject"] = [{"name": n} for n in ("Ada", "Bob", "Cy", "Di")]  # blank nodes
    p384 = KeyPair.generate("P-384")
    signed = sign(sign(doc, key, created=CREATED), p384, cryptosuite="ecdsa-rdfc-2019", created=CREATED)
    assert codes(verify_proofs(signed)) == ["OK", "OK"]
    other_order = {**signed, "proof": signed["proof"][::-1]}
    assert codes(verify_proofs(other_order)) == ["OK", "OK"]


def test_the_document_is_canonicalized_once_for_all_proofs_of_a_kind(key, monkeypatch):
    from ecvet_credentials.jsonld import canon

    signed = sign(sign(credential(key.did), key, created=CREATED), KeyPair.generate("Ed25519"), created=CREATED)
    calls = []
    real = canon.canonicalize
    monkeypatch.setattr(canon, "canonicalize", lambda doc, **kw: calls.append(doc) or real(doc, **kw))
    assert codes(verify_proofs(signed)) == ["OK", "OK"]
    documents = [c for c in calls if "credentialSubject" in c]
    assert len(documents) == 1 and len(calls) == 3  # the document once, each proof configuration once


# --- result fields, dates and the clock ----------------------------------------------------------------
def test_result_fields_are_strings_or_none_whatever_the_proof_holds(key):
    signed = sign(credential(key.did), key, created=CREATED)
    junk = {**signed["proof"], "id": 5, "cryptosuite": ["x"], "proofPurpose": {"a": 1}, "created": 20260201}
    r = verify_proofs({**signed, "proof": junk}).results[0]
    assert (r.id, r.cryptosuite, r.purpose, r.created, r.verified) == (None, None, None, None, False)
    json.dumps(vars(r))


@pytest.mark.parametrize("field", ["created", "expires"])
def test_proof_dates_need_a_time_zone(key, field):
    signed = sign(credential(key.did), key, created=CREATED, expires="2030-01-01T00:00:00Z")
    result = verify_proofs({**signed, "proof": {**signed["proof"], field: "2027-01-01T00:00:00"}})
    assert codes(result) == ["PROOF_MALFORMED"] and field in result.results[0].message


def test_a_proof_expires_at_its_expires_instant(key):
    expires = datetime(2027, 1, 1, tzinfo=timezone.utc)
    signed = sign(credential(key.did), key, created=CREATED, expires="2027-01-01T00:00:00Z")
    assert verify_proofs(signed, now=expires - timedelta(seconds=1)).verified
    assert codes(verify_proofs(signed, now=expires)) == ["PROOF_EXPIRED"]


def test_the_verifiers_clock_naive_is_utc_and_a_zone_is_respected(key):
    signed = sign(credential(key.did), key, created=CREATED, expires="2027-01-01T00:00:00Z")
    assert verify_proofs(signed, now=datetime(2026, 12, 31, 23, 0)).verified  # naive: UTC
    assert codes(verify_proofs(signed, now=datetime(2027, 1, 1, 0, 30))) == ["PROOF_EXPIRED"]
    plus5 = timezone(timedelta(hours=5))  # 04:00 at +05:00 is 23:00 UTC the day before: not expired
    assert verify_proofs(signed, now=datetime(2027, 1, 1, 4, 0, tzinfo=plus5)).verified


# --- purposes --------------------------------------------------------------------------------------
def test_a_domain_is_matched_whole_never_as_part_of_another(key):
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": key.did}
    signed = sign(vp, key, purpose="authentication", challenge="c1", domain="verifier.example.org", created=CREATED)
    assert verify_proofs(signed, domain="verifier.example.org", challenge="c1").verified
    for other in ("example.org", "verifier"):
        assert codes(verify_proofs(signed, domain=other, challenge="c1")) == ["DOMAIN_MISMATCH"]


@pytest.fixture(scope="module")
def revoked_key():
    """A did:web key revoked on 2026-03-01; returns (key, vm id, resolver)."""
    did, key = "did:web:school.example", KeyPair.generate("Ed25519")
    doc = did_web_document(did, [{"key": key, "id": "k1"}])
    doc["verificationMethod"][0]["revoked"] = "2026-03-01T00:00:00Z"
    return key, doc["verificationMethod"][0]["id"], DidResolver({did: doc})


def test_a_proof_without_created_by_a_revoked_key_is_refused(revoked_key):
    key, vm, resolver = revoked_key
    signed = sign(credential("did:web:school.example"), key, verification_method=vm, created=CREATED)
    assert verify_proofs(signed, resolver=resolver).verified  # made before the revocation
    undated = {**signed, "proof": {k: v for k, v in signed["proof"].items() if k != "created"}}
    result = verify_proofs(undated, resolver=resolver)
    assert codes(result) == ["KEY_REVOKED"] and "an unknown time" in result.results[0].message
    late = sign(credential("did:web:school.example"), key, verification_method=vm, created="2026-03-02T00:00:00Z")
    result = verify_proofs(late, resolver=resolver)
    assert codes(result) == ["KEY_REVOKED"] and "2026-03-02T00:00:00Z" in result.results[0].message



# --- what each result says, and the bounds on the work ---------------------------------------------------
def test_each_result_names_its_proof(key):
    signed = sign(credential(key.did), key, created=CREATED, proof_id="urn:uuid:p1")
    r = verify_proofs(signed).results[0]
    assert (r.index, r.id, r.verification_method, r.created) == (0, "urn:uuid:p1", key.verification_method_id, CREATED)


def test_more_proofs_than_the_limit_are_refused_without_checking_any(key):
    signed = sign(sign(credential(key.did), key, created=CREATED), key, created=CREATED)
    assert codes(verify_proofs(signed, limits=Limits(max_proofs=2))) == ["OK", "OK"]
    result = verify_proofs(signed, limits=Limits(max_proofs=1))
    assert [(r.index, r.id, r.cryptosuite, r.verification_method, r.controller, r.purpose, r.created, r.verified, r.code)
            for r in result.results] == [(0, None, None, None, None, None, None, False, "TOO_MANY_PROOFS")]
    assert not result.verified and "2 proofs" in result.message


def test_the_limits_apply_to_the_proof_configuration_too(key):
    domains = [f"https://verifier{i}.example" for i in range(20)]  # 20-odd quads in the configuration only
    tight = Limits(max_quads=15)
    with pytest.raises(LimitExceededError):
        sign(credential(key.did), key, created=CREATED, domain=domains, limits=tight)
    signed = sign(credential(key.did), key, created=CREATED, domain=domains)
    result = verify_proofs(signed, limits=tight)
    assert codes(result) == ["LIMIT_EXCEEDED"] and result.results[0].message


def test_sign_names_the_date_argument_it_refuses(key):
    for name in ("created", "expires"):
        with pytest.raises(ValueError, match=f"'{name}'"):
            sign(credential(key.did), key, **{name: "yesterday"})


def test_a_broken_chain_names_the_missing_proof(key):
    signed = sign(credential(key.did), key, created=CREATED, proof_id="urn:uuid:p1")
    chained = sign(signed, key, created=CREATED, previous_proof="urn:uuid:p1")
    chained["proof"][1]["previousProof"] = "urn:uuid:gone"
    result = verify_proofs(chained)
    assert codes(result) == ["OK", "PREVIOUS_PROOF_MISSING"] and "urn:uuid:gone" in result.results[1].message
    with pytest.raises(Exception, match="urn:uuid:gone"):
        sign(signed, key, previous_proof="urn:uuid:gone")


def test_a_document_context_written_as_a_string_matches_the_proofs_list(key):
    signed = sign(credential(key.did), key, cryptosuite=JCS, created=CREATED)
    assert signed["proof"]["@context"] == [V2]
    assert verify_proofs({**signed, "@context": V2}).verified  # the same context, JSON-LD reads both alike


def test_an_unexpected_error_is_a_failed_proof_never_an_exception(key):
    class Broken:
        def verification_method(self, vm_id):
            raise RuntimeError("disk on fire")

    result = verify_proofs(sign(credential(key.did), key, created=CREATED), resolver=Broken())
    assert codes(result) == ["VERIFICATION_ERROR"] and "RuntimeError" in result.results[0].message
