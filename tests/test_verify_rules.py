"""The verifier's verdict-deciding rules, check by check, on small generic credentials signed with did:key
(fast; the ECVET corpus runs through the CLI in test_verify_corpus.py). Written for the survivors of
`make mutation` in verify/: pipeline, checks_proof, checks_trust and the report's verdict."""
from __future__ import annotations

import copy
from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.core.errors import EcvetError
from ecvet_credentials.crypto.keys import KeyPair
from ecvet_credentials.proofs import sign
from ecvet_credentials.trust.registry import Institution, TrustedKey, TrustRegistry
from ecvet_credentials.verify import pipeline, verify_credential
from ecvet_credentials.verify.report import CheckResult, Outcome, Verdict, VerificationReport

V2 = "https://www.w3.org/ns/credentials/v2"
NOW = datetime(2026, 6, 1, tzinfo=timezone.utc)
CREATED = "2026-02-01T10:00:00Z"


@pytest.fixture(scope="module")
def issuer():
    return KeyPair.generate("Ed25519")


@pytest.fixture(scope="module")
def other():
    return KeyPair.generate("Ed25519")


def credential(issuer_did, **extra):
    doc = {"@context": [V2], "id": "urn:uuid:7d1b0c2e-0000-4000-8000-000000000001", "type": ["VerifiableCredential"],
           "issuer": issuer_did, "validFrom": "2026-01-01T00:00:00Z",
           "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
    doc.update(extra)
    return doc


def registry(issuer, *, roles=("host",), keys=(), **fields):
    inst = Institution(issuer.did, "Scuola Alberghiera", "IT", tuple(roles), tuple(keys))
    return TrustRegistry("test registry", {issuer.did: inst}, **fields)


def run(doc, **options):
    options.setdefault("now", NOW)
    return verify_credential(doc, **options)


def check(report, check_id):
    c = report.get(check_id)
    return (c.outcome.value, c.code, c.required) if c else None


# --- pipeline ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("value, kind", [([], "array"), ("x", "string"), (True, "boolean"), (None, "null"), (3, "number")])
def test_a_document_that_is_not_an_object_fails_the_input_check_only(value, kind):
    report = verify_credential(value)
    assert [check(report, c.id) for c in report.checks] == [("failed", "NOT_AN_OBJECT", True)]
    assert kind in report.checks[0].message and report.verdict is Verdict.NOT_VERIFIED


def test_a_failed_input_check_stops_the_run(issuer):
    report = run({"@context": [V2], "type": ["Thing"]})
    assert [c.id for c in report.checks] == ["input"] and check(report, "input")[1] == "NOT_A_CREDENTIAL"


def test_the_report_describes_the_document(issuer):
    doc = credential(issuer.did, issuer={"id": issuer.did, "name": {"it": "Scuola", "en": "School"}})
    doc["credentialSubject"] = {"givenName": "Ada", "familyName": "Lovelace", "name": "ignored"}
    described = run(doc, checks=["input"]).document
    assert described == {"id": doc["id"], "type": ["VerifiableCredential"], "issuer": issuer.did,
                         "issuerName": "Scuola", "learner": "Ada Lovelace"}
    doc["credentialSubject"] = {"name": "x" * 300}
    doc["issuer"] = {"id": issuer.did, "name": "\ud800"}  # not printable: left out, never a crash
    described = run(doc, checks=["input"]).document
    assert described["learner"] == "x" * 200 and "issuerName" not in described
    assert run({"type": ["VerifiableCredential"]}, checks=["input"]).document == {"type": ["VerifiableCredential"]}


def test_only_the_requested_checks_run_the_others_are_optional(issuer):
    report = run(sign(credential(issuer.did), issuer, created=CREATED), checks=["proof"])
    assert check(report, "proof") == ("passed", "OK", True)
    assert {c.id: (c.code, c.required) for c in report.checks if c.id not in ("input", "proof")} == {
        c: ("NOT_REQUESTED", False) for c in pipeline.CHECK_ORDER if c not in ("input", "proof")}
    assert report.verdict is Verdict.VERIFIED


def test_a_check_that_raises_an_ecvet_error_is_failed_never_passed(issuer, monkeypatch):
    def broken(ctx, report):
        raise EcvetError("the status list store is corrupt", code="STORE_BROKEN")

    monkeypatch.setitem(pipeline.CHECKS, "status", broken)
    report = run(sign(credential(issuer.did), issuer, created=CREATED))
    assert check(report, "status") == ("failed", "STORE_BROKEN", True) and report.verdict is Verdict.NOT_VERIFIED
    assert "corrupt" in report.get("status").message
    assert check(report, "ecvet-consistency") is not None  # the run goes on after it


# --- proof and issuer-binding --------------------------------------------------------------------------
def test_every_proof_is_reported_and_the_first_bad_one_decides(issuer, other):
    signed = sign(sign(credential(issuer.did), issuer, created=CREATED), other, created=CREATED)
    report = run(signed)
    proof = report.get("proof")
    assert (proof.outcome, proof.details) == (Outcome.PASSED, {"total": 2}) and "2" in proof.message
    assert [(p["verificationMethod"], p["proofPurpose"], p["created"], p["verified"], p["code"], p["cryptosuite"])
            for p in report.extra["proofs"]] == [
        (k.verification_method_id, "assertionMethod", CREATED, True, "OK", "eddsa-rdfc-2022") for k in (issuer, other)]
    broken = copy.deepcopy(signed)
    broken["proof"][1]["proofValue"] = broken["proof"][0]["proofValue"]
    proof = run(broken).get("proof")
    assert (proof.outcome, proof.code, proof.details) == (Outcome.FAILED, "INVALID_SIGNATURE", {"failed": 1, "total": 2})
    assert proof.message.startswith("Proof 2 of 2: ")
    single = run(sign(credential(issuer.did), issuer, created=CREATED)).get("proof")
    assert single.details == {"total": 1} and not single.message.startswith("Proof")


def test_an_unsigned_document_fails_proof_and_binding_is_not_established(issuer):
    report = run(credential(issuer.did))
    assert check(report, "proof") == ("failed", "PROOF_MISSING", True)
    assert check(report, "issuer-binding") == ("not_checked", "NO_VALID_PROOF", True)
    assert report.extra["proofs"] == []


def test_issuer_binding_needs_an_assertion_proof_by_the_issuer(issuer, other):
    assert check(run(sign(credential({"id": issuer.did}), issuer, created=CREATED)), "issuer-binding") == ("passed", "OK", True)
    by_other = run(sign(credential(issuer.did), other, created=CREATED)).get("issuer-binding")
    assert (by_other.code, by_other.details) == ("ISSUER_KEY_MISMATCH", {"issuer": issuer.did, "signers": [other.did]})
    for purpose in ("authentication", "capabilityInvocation"):  # the issuer's key, but not for asserting
        doc = sign(credential(issuer.did), issuer, created=CREATED, purpose=purpose)
        assert check(run(doc), "issuer-binding")[1] == "ISSUER_KEY_MISMATCH"
    anonymous = {k: v for k, v in credential(issuer.did).items() if k != "issuer"}
    assert check(run(sign(anonymous, issuer, created=CREATED)), "issuer-binding") == ("failed", "NO_ISSUER", True)


def test_a_presentation_proof_must_be_for_authentication_with_the_verifiers_challenge(issuer):
    vp = {"@context": [V2], "type": ["VerifiablePresentation"], "holder": issuer.did}
    asserted = sign(vp, issuer, created=CREATED, challenge="c1")
    assert check(run(asserted, challenge="c1"), "proof")[1] == "PURPOSE_MISMATCH"
    authenticated = sign(vp, issuer, created=CREATED, purpose="authentication", challenge="c1", domain="v.example")
    report = run(authenticated, challenge="c1", domain="v.example")
    assert check(report, "proof") == ("passed", "OK", True)
    assert check(report, "issuer-binding") == ("not_checked", "NOT_APPLICABLE", False)
    assert check(report, "issuer-trusted") == ("not_checked", "NOT_APPLICABLE", False)
    assert check(run(authenticated, challenge="c2", domain="v.example"), "proof")[1] == "CHALLENGE_MISMATCH"
    assert check(run(authenticated, challenge="c1", domain="w.example"), "proof")[1] == "DOMAIN_MISMATCH"


def test_the_proofs_are_verified_once_per_run(issuer, monkeypatch):
    import ecvet_credentials.proofs as proofs

    calls = []
    real = proofs.verify_proofs
    monkeypatch.setattr(proofs, "verify_proofs", lambda *a, **kw: calls.append(1) or real(*a, **kw))
    run(sign(credential(issuer.did), issuer, created=CREATED), trust=registry(issuer))
    assert len(calls) == 1


def test_the_callers_limits_reach_the_proof_check(issuer):
    from ecvet_credentials.jsonld.limits import Limits

    doc = credential(issuer.did)
    doc["credentialSubject"] = [{"id": f"did:example:{i}", "name": f"Learner {i}"} for i in range(10)]
    signed = sign(doc, issuer, created=CREATED)
    assert check(run(signed, limits=Limits(max_quads=15), checks=["proof"]), "proof")[1] == "LIMIT_EXCEEDED"


# --- issuer-trusted ----------------------------------------------------------------------------------
def test_no_registry_is_required_and_never_a_pass(issuer):
    report = run(sign(credential(issuer.did), issuer, created=CREATED))
    assert check(report, "issuer-trusted") == ("not_checked", "NO_TRUST_REGISTRY", True)
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED and not report.verified


def test_a_listed_issuer_with_its_own_signature_is_trusted(issuer):
    trust = registry(issuer, signed_by="did:key:anchor", age_note="subscribed copy, 2 h old")
    report = run(sign(credential(issuer.did), issuer, created=CREATED), trust=trust)
    c = report.get("issuer-trusted")
    assert (c.outcome, c.details) == (Outcome.PASSED, {"institution": "Scuola Alberghiera"})
    assert "did:key:anchor" in c.message and "2 h old" in c.message and "(IT)" in c.message
    assert report.verdict is Verdict.VERIFIED and report.verified


def test_an_untrusted_or_expired_registry_is_not_used(issuer):
    signed = sign(credential(issuer.did), issuer, created=CREATED)
    bad = run(signed, trust=registry(issuer, untrusted="the anchor's proof failed", anchor="did:key:a"))
    assert check(bad, "issuer-trusted") == ("failed", "TRUST_REGISTRY_UNTRUSTED", True)
    assert bad.get("issuer-trusted").details == {"anchor": "did:key:a"}
    assert check(run(signed, trust=registry(issuer, valid_until=NOW)), "issuer-trusted")[1] == "OK"  # until, inclusive
    expired = registry(issuer, valid_until=NOW - timedelta(seconds=1))
    assert check(run(signed, trust=expired), "issuer-trusted") == ("failed", "TRUST_REGISTRY_EXPIRED", True)
    naive_now = NOW.replace(tzinfo=None)  # a naive clock is UTC
    assert check(run(signed, trust=expired, now=naive_now), "issuer-trusted")[1] == "TRUST_REGISTRY_EXPIRED"


def test_an_issuer_not_listed_or_only_claimed_is_not_trusted(issuer, other):
    report = run(sign(credential(other.did), other, created=CREATED), trust=registry(issuer))
    c = report.get("issuer-trusted")
    assert (c.outcome, c.code, c.details) == (Outcome.FAILED, "ISSUER_NOT_TRUSTED", {"issuer": other.did})
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED
    claimed = run(sign(credential(issuer.did), other, created=CREATED), trust=registry(issuer))
    assert check(claimed, "issuer-trusted") == ("not_checked", "ISSUER_NOT_ESTABLISHED", True)
    assert check(run(credential(issuer.did), trust=registry(issuer)), "issuer-trusted")[1] == "ISSUER_NOT_ESTABLISHED"


@pytest.mark.parametrize("types, roles, code", [
    (["EcvetPersonalTranscript"], ("home",), "ISSUER_ROLE_MISMATCH"),
    (["EcvetPersonalTranscript"], ("host",), "OK"),
    (["EcvetRecognition"], ("host", "intermediary"), "ISSUER_ROLE_MISMATCH"),
    (["EcvetRecognition"], ("competent-authority",), "OK"),
    (["EcvetLearningAgreement"], ("intermediary",), "OK"),
    (["EcvetLearningAgreement"], (), "ISSUER_ROLE_MISMATCH"),
    (["SomethingElse"], (), "OK"),  # no role rule for other types
])
def test_the_issuers_role_must_fit_the_credential_type(issuer, types, roles, code):
    doc = credential(issuer.did, type=["VerifiableCredential", *types])
    doc["@context"] = [V2, "https://www.w3.org/ns/credentials/examples/v2"]  # @vocab: any type is defined
    doc = sign(doc, issuer, created=CREATED)
    assert check(run(doc, trust=registry(issuer, roles=roles), checks=["issuer-trusted"]), "issuer-trusted")[1] == code


def test_the_signing_key_must_be_one_the_registry_lists_and_valid_when_used(issuer, other):
    signed = sign(credential(issuer.did), issuer, created=CREATED)
    vm = issuer.verification_method_id
    created = datetime(2026, 2, 1, 10, tzinfo=timezone.utc)

    def with_key(**fields):
        key = TrustedKey(**{"id": vm, "public_key_multibase": None, "valid_from": None, "revoked": None, **fields})
        return check(run(signed, trust=registry(issuer, keys=[key])), "issuer-trusted")[1]

    assert with_key() == "OK"
    assert with_key(id=other.verification_method_id) == "KEY_NOT_LISTED"
    assert with_key(public_key_multibase=other.public_multibase) == "KEY_NOT_LISTED"
    assert with_key(public_key_multibase=issuer.public_multibase) == "OK"
    assert with_key(revoked=created) == "KEY_REVOKED"
    assert with_key(revoked=created + timedelta(seconds=1)) == "OK"
    assert with_key(valid_from=created + timedelta(seconds=1)) == "KEY_NOT_YET_VALID"
    report = run(signed, trust=registry(issuer, keys=[TrustedKey(vm, None, None, created)]))
    assert report.get("issuer-trusted").details == {"institution": "Scuola Alberghiera"}
    assert report.verdict is Verdict.ISSUER_NOT_RECOGNISED


# --- the report -----------------------------------------------------------------------------------------
def test_report_json_round_trip_keeps_what_decides_the_verdict():
    report = VerificationReport(document={"id": "urn:x"})
    report.passed("input", "ok")
    report.warning("status", "STATUS_LIST_STALE", "old list", entries=[1])
    report.not_checked("schema", "NO_SCHEMA", "none", required=False)
    report.extra["proofs"] = []
    data = report.to_json()
    assert data["verified"] is True and data["verdict"] == "verified" and data["document"] == {"id": "urn:x"}
    assert data["checks"][1] == {"id": "status", "outcome": "warning", "code": "STATUS_LIST_STALE",
                                 "message": "old list", "details": {"entries": [1]}}
    assert data["checks"][2]["required"] is False and "required" not in data["checks"][0]
    assert "details" not in data["checks"][0] and data["proofs"] == []
    again = VerificationReport.from_json(data)
    assert again.to_json() == data and again.extra == {"proofs": []}
    assert VerificationReport.from_json({"checks": [{"id": "input", "outcome": "passed"}]}).checks == [
        CheckResult("input", Outcome.PASSED, "", "")]
    assert VerificationReport().to_json() == {"verified": False, "verdict": "could_not_check", "checks": []}


def test_failed_checks_lists_the_required_checks_that_did_not_pass():
    report = VerificationReport()
    report.passed("input", "ok")
    report.warning("status", "W", "w")
    report.failed("proof", "X", "x")
    report.not_checked("issuer-trusted", "Y", "y")
    report.failed("schema", "Z", "z").required = False
    assert [c.id for c in report.failed_checks] == ["proof", "issuer-trusted"]


@pytest.mark.parametrize("trusted, proof, verdict", [
    ("failed", "passed", Verdict.ISSUER_NOT_RECOGNISED),
    ("failed", "failed", Verdict.NOT_VERIFIED),
    ("not_checked", "passed", Verdict.ISSUER_NOT_RECOGNISED),
    ("not_checked", "failed", Verdict.NOT_VERIFIED),
    ("not_checked", None, Verdict.COULD_NOT_CHECK),      # no proof check: nothing genuine to speak of
    ("failed", None, Verdict.ISSUER_NOT_RECOGNISED),
    ("warning", "passed", Verdict.VERIFIED),
    ("optional-failed", "passed", Verdict.VERIFIED),     # issuer-trusted not required (explicit checks)
    (None, "passed", Verdict.VERIFIED),
])
def test_the_verdict_of_issuer_trusted_and_proof(trusted, proof, verdict):
    report = VerificationReport()
    report.passed("input", "ok")
    if proof:
        getattr(report, proof)("proof", "P", "p") if proof == "failed" else report.passed("proof", "p")
    if trusted == "optional-failed":
        report.failed("issuer-trusted", "T", "t").required = False
    elif trusted == "warning":
        report.warning("issuer-trusted", "T", "t")
    elif trusted == "failed":
        report.failed("issuer-trusted", "T", "t")
    elif trusted == "not_checked":
        report.not_checked("issuer-trusted", "T", "t")
    assert report.verdict is verdict


def test_an_optional_failure_or_not_checked_never_decides_the_verdict():
    report = VerificationReport()
    report.passed("input", "ok")
    report.failed("schema", "X", "x").required = False
    report.not_checked("status", "Y", "y", required=False)
    assert report.verdict is Verdict.VERIFIED and report.verified
    only_optional = VerificationReport()
    only_optional.not_checked("status", "Y", "y", required=False)
    assert only_optional.verdict is Verdict.COULD_NOT_CHECK and not only_optional.verified
