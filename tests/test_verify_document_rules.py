"""The checks on the document itself (input, contexts, schema, validity period), rule by rule, on small
generic credentials: each outcome, code and boundary (written for `make mutation` in verify/)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from ecvet_credentials.jsonld.limits import Limits
from ecvet_credentials.verify import verify_credential

V2 = "https://www.w3.org/ns/credentials/v2"
V1 = "https://www.w3.org/2018/credentials/v1"
EXAMPLES = "https://www.w3.org/ns/credentials/examples/v2"
NOW = datetime(2026, 6, 1, 12, tzinfo=timezone.utc)


def credential(**extra):
    doc = {"@context": [V2], "type": ["VerifiableCredential"], "issuer": "did:example:school",
           "credentialSubject": {"id": "did:example:learner", "name": "Ada"}}
    doc.update(extra)
    return {k: v for k, v in doc.items() if v is not None}


def outcome(doc, check_id, **options):
    options.setdefault("now", NOW)
    c = verify_credential(doc, **options).get(check_id)
    return (c.outcome.value, c.code, c.required) if c else None


# --- input -----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("types, code", [
    ("VerifiableCredential", "OK"), (["VerifiablePresentation"], "OK"), (["X", "VerifiableCredential"], "OK"),
    (None, "MALFORMED_CREDENTIAL"), ([1], "MALFORMED_CREDENTIAL"), ({"a": 1}, "MALFORMED_CREDENTIAL"),
    (["Thing"], "NOT_A_CREDENTIAL"), ("Thing", "NOT_A_CREDENTIAL"),
])
def test_the_type_must_name_a_credential_or_presentation(types, code):
    assert outcome(credential(type=types), "input")[1] == code


def test_at_most_max_proofs_proofs_are_accepted():
    proof = {"type": "DataIntegrityProof"}
    limits = Limits(max_proofs=2)
    assert outcome(credential(proof=[proof, proof]), "input", limits=limits)[:2] == ("passed", "OK")
    report = verify_credential(credential(proof=[proof] * 3), limits=limits, now=NOW)
    assert [c.code for c in report.checks] == ["TOO_MANY_PROOFS"]
    assert outcome(credential(proof=proof), "input", limits=Limits(max_proofs=1))[1] == "OK"


def test_a_sealed_europass_credential_is_not_checked_and_stops_the_run():
    report = verify_credential({"payload": "eyJ...", "signatures": []}, now=NOW)
    assert [(c.id, c.outcome.value, c.code) for c in report.checks] == [("input", "not_checked", "UNSUPPORTED_FORMAT")]


# --- contexts -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("contexts, code", [
    ([V2], "OK"), (V2, "OK"), ([V1], "OK"), ([V2, EXAMPLES], "OK"),
    (None, "NO_CONTEXT"), ([], "NO_CONTEXT"), (7, "NO_CONTEXT"),
    ([EXAMPLES, V2], "NO_VC_CONTEXT"), (["https://example.org/ctx"], "NO_VC_CONTEXT"),
    ([V2, "https://example.org/ctx"], "UNKNOWN_CONTEXT"), ([V2, {"x": "https://example.org/x"}], "INLINE_CONTEXT"),
    ([V2, 5], "INLINE_CONTEXT"),
])
def test_only_bundled_contexts_after_the_vc_context(contexts, code):
    assert outcome(credential(**{"@context": contexts}), "contexts")[1] == code


def test_inline_contexts_only_in_the_generic_profile_and_never_in_ecvet():
    doc = credential(**{"@context": [V2, {"nickname": "https://school.example/nickname"}]})
    passed = verify_credential(doc, inline_contexts=True, now=NOW).get("contexts")
    assert (passed.outcome.value, passed.code) == ("passed", "OK") and "1 inline" in passed.message
    ecvet = dict(doc, type=["VerifiableCredential", "EcvetPersonalTranscript"])
    assert outcome(ecvet, "contexts", inline_contexts=True)[1] == "INLINE_CONTEXT"


def test_a_bundled_context_whose_file_changed_is_refused(tmp_path, repo_dir):
    import json
    import shutil

    from ecvet_credentials.jsonld.contexts import ContextRegistry

    shutil.copytree(repo_dir / "contexts", tmp_path / "contexts")
    index = json.loads((tmp_path / "contexts" / "index.json").read_text())
    (tmp_path / "contexts" / index["contexts"][EXAMPLES]["file"]).write_text('{"@context": {"@vocab": "urn:evil#"}}')
    registry = ContextRegistry(tmp_path / "contexts")
    report = verify_credential(credential(**{"@context": [V2, EXAMPLES]}), registry=registry, now=NOW)
    c = report.get("contexts")
    assert (c.outcome.value, c.code, c.details) == ("failed", "CONTEXT_PIN_MISMATCH", {"url": EXAMPLES})


def test_a_related_resource_must_carry_a_digest():
    doc = credential(relatedResource=[{"id": "https://school.example/logo.png"}])
    report = verify_credential(doc, now=NOW)
    c = report.get("contexts")
    assert (c.outcome.value, c.code) == ("failed", "INVALID_RELATED_RESOURCE")
    assert c.details == {"path": "$.relatedResource[0]"} and c.message.startswith("$.relatedResource[0]: ")


# --- schema and ECVET rules on a document no schema applies to ---------------------------------------------
def test_a_generic_credential_has_no_schema_and_no_ecvet_rules():
    report = verify_credential(credential(), now=NOW)
    assert (report.get("schema").code, report.get("schema").required) == ("NO_SCHEMA", False)
    assert (report.get("ecvet-consistency").code, report.get("ecvet-consistency").required) == ("NOT_APPLICABLE", False)
    assert (report.get("agreement-match").code, report.get("agreement-match").required) == ("NO_AGREEMENT", False)


# --- validity period --------------------------------------------------------------------------------------
SKEW = timedelta(seconds=300)


@pytest.mark.parametrize("fields, now, code", [
    ({}, NOW, "OK"),
    ({"validFrom": "2026-06-01T12:05:00Z"}, NOW, "OK"),                      # within the clock skew
    ({"validFrom": "2026-06-01T12:05:01Z"}, NOW, "NOT_YET_VALID"),
    ({"validUntil": "2026-06-01T11:55:00Z"}, NOW, "OK"),                     # within the clock skew
    ({"validUntil": "2026-06-01T11:54:59Z"}, NOW, "EXPIRED"),
    ({"validFrom": "2026-06-02T00:00:00Z", "validUntil": "2026-06-01T00:00:00Z"}, NOW, "INVALID_PERIOD"),
    ({"validFrom": "2026-06-01T00:00:00Z", "validUntil": "2026-06-01T00:00:00Z"}, datetime(2026, 6, 1, tzinfo=timezone.utc), "OK"),
    # VC 1.1 names count too, and the stricter bound wins
    ({"issuanceDate": "2026-06-02T00:00:00Z"}, NOW, "NOT_YET_VALID"),
    ({"validFrom": "2026-01-01T00:00:00Z", "issuanceDate": "2026-06-02T00:00:00Z"}, NOW, "NOT_YET_VALID"),
    ({"issuanceDate": "2026-01-01T00:00:00Z", "validFrom": "2026-06-02T00:00:00Z"}, NOW, "NOT_YET_VALID"),
    ({"expirationDate": "2026-05-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z"}, NOW, "EXPIRED"),
    ({"validUntil": "2026-05-01T00:00:00Z", "expirationDate": "2027-01-01T00:00:00Z"}, NOW, "EXPIRED"),
    ({"validFrom": "soon"}, NOW, "INVALID_DATE"),
    ({"validUntil": "2026-13-01T00:00:00Z"}, NOW, "INVALID_DATE"),
    ({"issuanceDate": 2026}, NOW, "INVALID_DATE"),
    ({"expirationDate": "later"}, NOW, "INVALID_DATE"),
])
def test_the_validity_period_with_its_clock_skew(fields, now, code):
    assert outcome(credential(**fields), "validity-period", now=now)[1] == code


def test_the_validity_messages_name_the_bad_field_and_the_dates():
    def message(**fields):
        return verify_credential(credential(**fields), now=NOW).get("validity-period").message

    assert "soon" in message(validFrom="soon") and "validFrom" in message(validFrom="soon")
    assert "validUntil" in message(validUntil="x") and "expirationDate" in message(expirationDate="x")
    assert "issuanceDate" in message(issuanceDate="x")
    assert "2026-06-01T12:00:00Z" in message() and "no end date" in message()
    assert "2027-01-01T00:00:00Z" in message(validUntil="2027-01-01T00:00:00Z")
    assert "2026-05-01T00:00:00Z" in message(validUntil="2026-05-01T00:00:00Z")


def test_the_clock_skew_is_the_callers():
    doc = credential(validFrom="2026-06-01T12:10:00Z")
    assert outcome(doc, "validity-period")[1] == "NOT_YET_VALID"
    assert outcome(doc, "validity-period", clock_skew=600)[1] == "OK"
    assert outcome(credential(validUntil="2026-06-01T11:50:00Z"), "validity-period", clock_skew=600)[1] == "OK"
