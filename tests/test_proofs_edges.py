"""Proof engine edges the round-trip tests do not reach: the set's summary message, impossible dates,
wrong arguments to sign, an empty proof list, a key revoked on an unreadable date, non-I-JSON under JCS."""
from __future__ import annotations

import pytest

from ecvet_credentials.core.timeutil import parse_datetime
from ecvet_credentials.crypto.dids import DidResolver, did_web_document
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign, verify_proofs

from test_proofs import credential


@pytest.fixture(scope="module")
def key():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def two_proofs(key):
    other = KeyPair.generate("Ed25519")
    once = sign(credential(key.did), key, cryptosuite="eddsa-jcs-2022", created="2026-02-01T10:00:00Z")
    return sign(once, other, cryptosuite="eddsa-jcs-2022", created="2026-02-01T10:00:00Z")


def test_summary_of_a_valid_set_and_of_a_set_with_one_bad_proof(two_proofs):
    result = verify_proofs(two_proofs)
    assert result.verified and result.code == "OK" and result.message == "Every proof is valid."
    tampered = {**two_proofs, "proof": [two_proofs["proof"][0], {**two_proofs["proof"][1], "proofValue": "zBad"}]}
    result = verify_proofs(tampered)
    assert not result.verified and result.code == result.results[1].code != "OK"
    assert result.message.startswith("Proof 2 of 2: ") and result.message.endswith(result.results[1].message)


def test_single_proof_summary_and_empty_proof_list(key):
    signed = sign(credential(key.did), key, cryptosuite="eddsa-jcs-2022")
    assert verify_proofs(signed).message == "The signature is valid."
    empty = verify_proofs({**signed, "proof": []})
    assert (empty.verified, empty.code, empty.results) == (False, "PROOF_MISSING", [])


@pytest.mark.parametrize("field", ["created", "expires"])
def test_a_date_that_matches_the_pattern_but_does_not_exist_is_malformed(key, field):
    signed = sign(credential(key.did), key, cryptosuite="eddsa-jcs-2022")
    proof = {**signed["proof"], field: "2026-02-30T10:00:00Z"}  # no 30 February
    result = verify_proofs({**signed, "proof": proof})
    assert result.code == "PROOF_MALFORMED" and not result.verified


def test_sign_refuses_a_key_the_suite_cannot_use_and_bad_previous_proof(key):
    with pytest.raises(ValueError, match="needs a P-256 or P-384 key"):
        sign(credential(key.did), key, cryptosuite="ecdsa-jcs-2019")
    signed = sign(credential(key.did), key, cryptosuite="eddsa-jcs-2022", proof_id="urn:p1")
    for previous in ([], [1], 7):
        with pytest.raises(ValueError, match="previous_proof"):
            sign(signed, key, cryptosuite="eddsa-jcs-2022", previous_proof=previous)


def test_key_revoked_on_an_unreadable_date_is_never_usable():
    did = "did:web:school.example"
    key = KeyPair.generate("Ed25519")
    doc = did_web_document(did, [{"key": key, "id": "k1"}])
    vm_id = doc["verificationMethod"][0]["id"]
    resolver = DidResolver({did: doc})
    signed = sign(credential(did), key, cryptosuite="eddsa-jcs-2022", verification_method=vm_id,
                  created="2026-02-01T10:00:00Z")
    assert verify_proofs(signed, resolver=resolver).verified
    doc["verificationMethod"][0]["revoked"] = "2099-02-30T00:00:00Z"  # far future, but not a real day
    result = verify_proofs(signed, resolver=DidResolver({did: doc}))
    # The resolver reads dates with core.timeutil: a day that does not exist makes the DID document
    # invalid, so the key is unresolved (the issuer's document is broken), never "not yet revoked".
    assert not result.verified and result.code == "VERIFICATION_METHOD_UNRESOLVED"
    assert "malformed 'revoked' date" in result.message


def test_a_method_whose_revocation_date_cannot_be_read_counts_as_revoked_from_the_start():
    """Defence in depth below the resolver: a VerificationMethod built by other code with such a date."""
    from ecvet_credentials.crypto.dids import VerificationMethod
    from ecvet_credentials.proofs.purposes import check_authorized

    key = KeyPair.generate("Ed25519")
    created = parse_datetime("2026-02-01T10:00:00Z")
    proof = {"proofPurpose": "assertionMethod", "created": "2026-02-01T10:00:00Z"}

    def method(revoked):
        return VerificationMethod("did:web:s.example#k", "Multikey", "did:web:s.example", key.public_key, revoked,
                                  frozenset({"assertionMethod"}))

    assert check_authorized(proof, method("2099-01-01T00:00:00Z"), created) is None
    assert check_authorized(proof, method("2099-02-30T00:00:00Z"), created)[0] == "KEY_REVOKED"
    assert check_authorized(proof, method("2026-02-01T10:00:00Z"), created)[0] == "KEY_REVOKED"  # at the instant


def test_jcs_verification_of_a_number_outside_i_json_is_a_canonicalization_failure(key):
    signed = sign(credential(key.did), key, cryptosuite="eddsa-jcs-2022")
    doc = {**signed, "credentialSubject": {**signed["credentialSubject"], "name": 2 ** 60}}
    result = verify_proofs(doc)
    assert not result.verified and result.code == "CANONICALIZATION_ERROR"
    assert "I-JSON" in result.message



@pytest.mark.parametrize("revoked, verified", [
    ("2026-02-01T10:30:00+01:00", False),        # 09:30 UTC: before the proof made at 10:00 UTC
    ("2026-02-01T10:00:00.5Z", True),            # half a second after it: fractions are read
    ("2026-02-01T10:00:00Z", False),             # at the very moment: revoked
])
def test_key_revocation_times_are_compared_in_utc(revoked, verified):
    did = "did:web:school.example"
    key = KeyPair.generate("Ed25519")
    doc = did_web_document(did, [{"key": key, "id": "k1"}])
    signed = sign(credential(did), key, cryptosuite="eddsa-jcs-2022", verification_method=doc["verificationMethod"][0]["id"],
                  created="2026-02-01T10:00:00Z")
    doc["verificationMethod"][0]["revoked"] = revoked
    result = verify_proofs(signed, resolver=DidResolver({did: doc}))
    assert result.verified is verified and (verified or result.code == "KEY_REVOKED")
