"""holder-binding and the nested credential reports of a presentation, rule by rule, on small generic
credentials signed with did:key (written for the survivors of `make mutation` in verify/presentation.py)."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.presentation import MAX_CREDENTIALS, build_presentation, is_presentation, sign_presentation
from ecvet_credentials.verify.report import Outcome
from verify_samples import CHALLENGE, CREATED, NOW, V2, trust_in as trust
from verify_samples import signed as credential


@pytest.fixture(scope="module")
def issuer():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def holder():
    return KeyPair.generate("Ed25519")


def run(doc, **options):
    options.setdefault("now", NOW)
    options.setdefault("challenge", CHALLENGE)
    return verify_credential(doc, **options)


def result(report, check_id):
    c = report.get(check_id)
    return (c.outcome.value, c.code) if c else None


def vp_of(holder, credentials, *, holder_value=None, **sign_options):
    vp = build_presentation(credentials, holder=holder.did)
    if holder_value is not None:
        vp["holder"] = holder_value
    sign_options.setdefault("challenge", CHALLENGE)
    return sign(vp, holder, purpose="authentication", created=CREATED, **sign_options)


# --- holder-binding (ECVET rules: challenge, holder, holder = subject) -------------------------------------
def test_a_presentation_by_the_subject_for_the_challenge_verifies(issuer, holder):
    vp = sign_presentation([credential(issuer, holder.did)], holder, challenge=CHALLENGE, created=CREATED)
    report = run(vp, trust=trust(issuer))
    assert result(report, "holder-binding") == ("passed", "OK") and result(report, "credentials") == ("passed", "OK")
    assert report.get("holder-binding").details == {"holder": holder.did}
    assert "1" in report.get("credentials").message and report.verified
    assert [r["verified"] for r in report.extra["credentials"]] == [True]
    assert result(run({**vp, "holder": {"id": holder.did}}), "holder-binding")[1] != "NO_HOLDER"


def test_without_the_verifiers_challenge_a_presentation_is_refused(issuer, holder):
    vp = vp_of(holder, [credential(issuer, holder.did)])
    assert result(run(vp, challenge=None), "holder-binding") == ("failed", "CHALLENGE_REQUIRED")
    assert result(run(vp, challenge=""), "holder-binding") == ("failed", "CHALLENGE_REQUIRED")


def test_a_presentation_without_holder_is_refused(issuer, holder):
    for value in ({"name": "Ada"}, 7, None):  # refused before the proof is looked at
        vp = build_presentation([credential(issuer, holder.did)], holder=holder.did)
        vp["holder"] = value
        assert result(run(vp), "holder-binding") == ("failed", "NO_HOLDER")


def test_without_a_valid_presentation_proof_the_holder_is_not_established(issuer, holder):
    vp = build_presentation([credential(issuer, holder.did)], holder=holder.did)
    assert result(run(vp), "holder-binding") == ("not_checked", "NO_VALID_PROOF")
    asserted = sign(vp, holder, challenge=CHALLENGE, created=CREATED)  # assertionMethod: not a presentation proof
    report = run(asserted)
    assert result(report, "holder-binding") == ("not_checked", "NO_VALID_PROOF") and report.get("holder-binding").required


def test_a_presentation_signed_by_someone_else_is_refused(issuer, holder):
    thief = KeyPair.generate("Ed25519")
    vp = vp_of(thief, [credential(issuer, holder.did)], holder_value=holder.did)
    check = run(vp).get("holder-binding")
    assert (check.code, check.details) == ("HOLDER_KEY_MISMATCH", {"holder": holder.did, "signers": [thief.did]})


def test_the_holder_must_be_the_subject_of_every_credential(issuer, holder):
    creds = [credential(issuer, holder.did, 1), credential(issuer, "did:example:someone-else", 2),
             credential(issuer, holder.did, 3, credentialSubject=[{"id": "did:example:x"}, {"id": holder.did}])]
    check = run(vp_of(holder, creds)).get("holder-binding")
    assert (check.code, check.details) == ("HOLDER_NOT_SUBJECT", {"holder": holder.did, "credentials": [2]})


def test_a_domain_the_verifier_did_not_check_is_a_warning(issuer, holder):
    vp = vp_of(holder, [credential(issuer, holder.did)], domain="school.example")
    assert result(run(vp), "holder-binding") == ("warning", "DOMAIN_NOT_CHECKED")
    checked = run(vp, domain="school.example").get("holder-binding")
    assert checked.outcome is Outcome.PASSED and "school.example" in checked.message


# --- the credentials inside ---------------------------------------------------------------------------------
def test_every_credential_inside_gets_its_own_report_with_the_verifiers_options(issuer, holder):
    expired = credential(issuer, holder.did, 2, validUntil="2026-03-01T00:00:00Z")
    vp = vp_of(holder, [credential(issuer, holder.did, 1), expired])
    report = run(vp, trust=trust(issuer))
    check = report.get("credentials")
    assert (check.outcome, check.code, check.details) == (Outcome.FAILED, "CREDENTIAL_NOT_VERIFIED", {"failed": [2]})
    assert "validity-period" in check.message
    nested = report.extra["credentials"]
    assert [r["verified"] for r in nested] == [True, False]
    trusted = next(c for c in nested[0]["checks"] if c["id"] == "issuer-trusted")
    assert trusted["outcome"] == "passed"  # the registry reached the nested verification
    before = run(vp, trust=trust(issuer), now=datetime(2026, 2, 15, tzinfo=timezone.utc))
    assert result(before, "credentials") == ("passed", "OK")  # so did the clock
    skewed = run(vp, trust=trust(issuer), now=datetime(2026, 3, 1, 0, 4, tzinfo=timezone.utc), clock_skew=600)
    assert result(skewed, "credentials") == ("passed", "OK")  # and the clock skew
    only = run(vp, checks=["input", "proof", "holder-binding"])
    assert [c["id"] for c in only.extra["credentials"][1]["checks"] if c["code"] != "NOT_REQUESTED"] == [
        "input", "proof", "holder-binding"]


def test_the_credentials_are_verified_as_assertions_without_the_presentations_challenge(issuer, holder):
    vp = vp_of(holder, [credential(issuer, holder.did)], domain="school.example")
    report = run(vp, domain="school.example")
    proof = next(c for c in report.extra["credentials"][0]["checks"] if c["id"] == "proof")
    assert proof["outcome"] == "passed"


def test_no_credential_too_many_or_a_presentation_inside_are_refused(issuer, holder):
    empty = sign({"@context": [V2], "type": ["VerifiablePresentation"], "holder": holder.did}, holder,
                 purpose="authentication", challenge=CHALLENGE, created=CREATED)
    assert result(run(empty), "credentials") == ("failed", "NO_CREDENTIALS")
    cred = credential(issuer, holder.did)
    many = build_presentation([cred] * (MAX_CREDENTIALS + 1), holder=holder.did)
    report = run(many)
    assert result(report, "credentials") == ("failed", "TOO_MANY_CREDENTIALS") and "credentials" not in report.extra
    at_most = run(build_presentation([cred] * MAX_CREDENTIALS, holder=holder.did))
    assert len(at_most.extra["credentials"]) == MAX_CREDENTIALS
    inner = build_presentation([cred], holder=holder.did)
    report = run(vp_of(holder, [cred, inner]))
    assert result(report, "credentials") == ("failed", "CREDENTIAL_NOT_VERIFIED")
    assert report.extra["credentials"][1]["checks"][0]["code"] == "NESTED_PRESENTATION"
    single = {**build_presentation([cred], holder=holder.did), "verifiableCredential": cred}  # one object, no list
    assert len(run(single).extra["credentials"]) == 1


# --- generic presentations (VC-API style) -------------------------------------------------------------------
def test_generic_presentations_need_no_challenge_or_holder_but_a_named_holder_must_sign(issuer, holder):
    cred = credential(issuer, "did:example:not-the-holder")
    anonymous = build_presentation([cred], holder=holder.did)
    del anonymous["holder"]
    signed = sign(anonymous, holder, purpose="authentication", created=CREATED)
    check = run(signed, challenge=None, generic_presentations=True).get("holder-binding")
    assert (check.outcome, check.code) == (Outcome.PASSED, "OK") and "no holder" in check.message
    named = vp_of(holder, [cred], challenge=None)
    check = run(named, challenge=None, generic_presentations=True).get("holder-binding")
    assert (check.outcome, check.code) == (Outcome.PASSED, "OK") and holder.did in check.message
    thief = KeyPair.generate("Ed25519")
    stolen = vp_of(thief, [cred], holder_value=holder.did, challenge=None)
    assert result(run(stolen, challenge=None, generic_presentations=True), "holder-binding") == ("failed", "HOLDER_KEY_MISMATCH")
    unsigned = build_presentation([cred], holder=holder.did)
    assert result(run(unsigned, challenge=None, generic_presentations=True), "holder-binding") == ("not_checked", "NO_VALID_PROOF")
    # without the option the same presentation is bound by the ECVET rules
    assert result(run(named, challenge=None), "holder-binding") == ("failed", "CHALLENGE_REQUIRED")


def test_a_generic_presentation_may_carry_no_credential(holder):
    empty = sign({"@context": [V2], "type": ["VerifiablePresentation"]}, holder, purpose="authentication",
                 created=CREATED)
    assert result(run(empty, challenge=None, generic_presentations=True), "credentials") == ("passed", "OK")


def test_is_presentation_reads_the_type_as_a_string_or_a_list():
    assert is_presentation({"type": "VerifiablePresentation"}) and is_presentation({"type": ["X", "VerifiablePresentation"]})
    assert not is_presentation({"type": ["VerifiableCredential"]}) and not is_presentation([])
    assert not is_presentation({"type": {"VerifiablePresentation": 1}})
