"""The verdict-deciding checks (pipeline, report, proof, trust, status, agreement, holder), pinned where the
mutation run (`make mutation`, group verify) found behaviour no other test asserted.

Most tests build the check's inputs directly (a VerifyContext with the proof results already in
`ctx.shared`, a trust registry parsed from a dict), so they need no signing and run in milliseconds.
"""
from __future__ import annotations

import pytest

from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.report import CheckResult, Outcome, Verdict, VerificationReport


# --- the pipeline ---------------------------------------------------------------------------------
@pytest.mark.parametrize("value, kind", [([1], "array"), ("x", "string"), (True, "boolean"), (None, "null"), (7, "number")])
def test_a_document_that_is_not_an_object_is_named_by_its_json_kind(value, kind):
    check = verify_credential(value).checks[0]
    assert (check.id, check.code, check.outcome) == ("input", "NOT_AN_OBJECT", Outcome.FAILED)
    assert check.message.endswith(f" got a JSON {kind}.")


# --- the report -----------------------------------------------------------------------------------
def test_a_stored_report_without_checks_reads_back_as_nothing_checked():
    again = VerificationReport.from_json({"verified": False, "document": {"id": "urn:x"}})
    assert again.checks == [] and again.document == {"id": "urn:x"}
    assert again.verdict is Verdict.COULD_NOT_CHECK


# --- checks on prepared proof results -------------------------------------------------------------
ISSUER = "did:example:host"
OTHER = "did:example:other"


def _proof(controller: str | None, *, verified: bool = True, index: int = 0, vm: str | None = None,
           purpose: str = "assertionMethod", code: str = "OK", message: str = "", created: str | None = "2026-11-20T15:00:00Z"):
    from ecvet_credentials.proofs.engine import ProofResult

    return ProofResult(index=index, id=None, cryptosuite="eddsa-rdfc-2022",
                       verification_method=vm or (f"{controller}#key-1" if controller else None), controller=controller,
                       purpose=purpose, created=created, verified=verified, code=code, message=message)


def _ctx(doc: dict, proofs: list | None = None, **options):
    from ecvet_credentials.proofs.engine import ProofSetResult
    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions

    ctx = VerifyContext(document=doc, options=VerifyOptions(**options))
    if proofs is not None:
        ctx.shared["proofs"] = ProofSetResult(proofs)
    return ctx


def _credential(issuer: str = ISSUER, *types: str) -> dict:
    return {"type": ["VerifiableCredential", *types], "issuer": {"id": issuer, "name": "Host"}}


def _institution(did: str = ISSUER, *, roles=("host",), keys=(), country: str | None = "DE", name: str = "Host School"):
    from ecvet_credentials.trust.registry import Institution

    return Institution(did=did, name=name, country=country, roles=tuple(roles), keys=tuple(keys))


def _registry(*institutions, **fields):
    from ecvet_credentials.trust.registry import TrustRegistry

    return TrustRegistry(name="test registry", institutions={i.did: i for i in institutions}, **fields)


CHECK_IDS = {"check_proof": "proof", "check_issuer_binding": "issuer-binding", "check_issuer_trusted": "issuer-trusted",
             "check_status": "status", "check_agreement_match": "agreement-match", "check_holder_binding": "holder-binding"}


def _run(check, ctx) -> CheckResult:
    report = VerificationReport()
    check(ctx, report)
    assert len(report.checks) == 1
    result = report.checks[0]
    assert result.id == CHECK_IDS[check.__name__]
    assert isinstance(result.message, str) and result.message  # every result tells the user something
    return result


def _key(vm: str, *, valid_from: str | None = "2026-01-01T00:00:00Z", revoked: str | None = None):
    from ecvet_credentials.core.timeutil import parse_datetime
    from ecvet_credentials.trust.registry import TrustedKey

    return TrustedKey(id=vm, public_key_multibase=None, valid_from=parse_datetime(valid_from), revoked=parse_datetime(revoked))


def test_a_presentation_has_no_issuer_binding_and_says_why():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    result = _run(check_issuer_binding, _ctx({"type": ["VerifiablePresentation"]}, []))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NOT_APPLICABLE", False)


def test_a_key_problem_on_the_issuers_second_proof_is_found_after_a_proof_by_someone_else():
    from ecvet_credentials.verify.checks_trust import check_issuer_trusted

    listed = _key(f"{ISSUER}#key-1")
    proofs = [_proof(OTHER), _proof(ISSUER, index=1, vm=f"{ISSUER}#key-2")]  # key-2 is not in the registry
    result = _run(check_issuer_trusted, _ctx(_credential(), proofs, trust=_registry(_institution(keys=[listed]))))
    assert (result.outcome, result.code) == (Outcome.FAILED, "KEY_NOT_LISTED")
    assert result.details == {"institution": "Host School"}


def test_an_issuer_key_mismatch_names_the_claimed_issuer_and_every_signer():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    proofs = [_proof(OTHER), _proof(None, index=1, vm="did:example:unknown#k")]  # a signer of unknown controller: "?"
    result = _run(check_issuer_binding, _ctx(_credential(), proofs))
    assert (result.outcome, result.code) == (Outcome.FAILED, "ISSUER_KEY_MISMATCH")
    assert result.details == {"issuer": ISSUER, "signers": ["?", OTHER]}
    assert f"issued by {ISSUER}, but it was signed by ?, {OTHER};" in result.message


# --- proof ---------------------------------------------------------------------------------------
def test_the_proof_check_lists_every_proof_it_verified():
    from ecvet_credentials.verify.checks_proof import check_proof

    ctx = _ctx(_credential(), [_proof(ISSUER, message="fine")])
    report = VerificationReport()
    check_proof(ctx, report)
    assert report.extra["proofs"] == [{"verificationMethod": f"{ISSUER}#key-1", "cryptosuite": "eddsa-rdfc-2022",
                                       "proofPurpose": "assertionMethod", "created": "2026-11-20T15:00:00Z",
                                       "verified": True, "code": "OK", "message": "fine"}]
    (result,) = report.checks
    assert (result.outcome, result.code, result.details) == (Outcome.PASSED, "OK", {"total": 1})
    assert result.message.startswith("The signature is valid")


def test_two_valid_proofs_are_counted_in_the_pass():
    from ecvet_credentials.verify.checks_proof import check_proof

    result = _run(check_proof, _ctx(_credential(), [_proof(ISSUER), _proof(OTHER, index=1)]))
    assert (result.outcome, result.details) == (Outcome.PASSED, {"total": 2})
    assert result.message.startswith("All 2 signatures are valid")


def test_a_failed_proof_among_several_is_named_by_its_position():
    from ecvet_credentials.verify.checks_proof import check_proof

    proofs = [_proof(ISSUER), _proof(OTHER, index=1, verified=False, code="INVALID_SIGNATURE", message="bad."),
              _proof(OTHER, index=2, verified=False, code="KEY_NOT_FOUND", message="gone.")]
    result = _run(check_proof, _ctx(_credential(), proofs))
    assert (result.outcome, result.code) == (Outcome.FAILED, "INVALID_SIGNATURE")
    assert result.message == "Proof 2 of 3: bad." and result.details == {"failed": 2, "total": 3}


def test_the_position_of_a_failed_proof_is_given_from_two_proofs_on():
    from ecvet_credentials.verify.checks_proof import check_proof

    proofs = [_proof(ISSUER, index=0, verified=False, code="INVALID_SIGNATURE", message="bad."), _proof(OTHER, index=1)]
    result = _run(check_proof, _ctx(_credential(), proofs))
    assert result.message == "Proof 1 of 2: bad." and result.details == {"failed": 1, "total": 2}


def test_a_single_failed_proof_is_reported_with_its_own_message():
    from ecvet_credentials.verify.checks_proof import check_proof

    result = _run(check_proof, _ctx(_credential(), [_proof(ISSUER, verified=False, code="INVALID_SIGNATURE", message="bad.")]))
    assert (result.outcome, result.code, result.message) == (Outcome.FAILED, "INVALID_SIGNATURE", "bad.")
    assert result.details == {"failed": 1, "total": 1}


def test_no_proof_at_all_fails():
    from ecvet_credentials.verify.checks_proof import check_proof

    report = VerificationReport()
    check_proof(_ctx(_credential(), []), report)
    assert (report.checks[0].outcome, report.checks[0].code) == (Outcome.FAILED, "PROOF_MISSING")
    assert report.extra["proofs"] == []


@pytest.mark.parametrize("chars, skipped", [(256 * 1024, False), (256 * 1024 + 1, True)])
def test_proofs_are_skipped_only_for_a_schema_invalid_document_above_the_size_limit(monkeypatch, chars, skipped):
    from ecvet_credentials import proofs
    from ecvet_credentials.verify.checks_proof import check_issuer_binding, check_proof

    verified = []
    real = proofs.verify_proofs
    monkeypatch.setattr(proofs, "verify_proofs", lambda doc, **kw: verified.append(doc) or real(doc, **kw))
    ctx = _ctx(_credential())  # no proof in it: verified, it would be PROOF_MISSING
    ctx.shared.update(schema_issues=["an issue"], json_chars=chars)
    report = VerificationReport()
    check_proof(ctx, report)
    check_issuer_binding(ctx, report)
    proof, binding = report.checks
    assert (proof.id, binding.id) == ("proof", "issuer-binding")
    assert len(verified) == (0 if skipped else 1)  # once per run for both checks; never for a skipped document
    if skipped:
        assert (proof.outcome, proof.code, proof.required) == (Outcome.NOT_CHECKED, "NOT_CHECKED_AFTER_SCHEMA_FAILURE", True)
        assert "at 256 KB" in proof.message and "proofs" not in report.extra
    else:
        assert (proof.outcome, proof.code) == (Outcome.FAILED, "PROOF_MISSING")
    assert binding.code == "NO_VALID_PROOF"  # either way nobody is established as the signer


def test_proofs_verified_once_in_a_run_are_not_dropped_by_a_later_check():
    from ecvet_credentials.verify.checks_proof import check_proof

    ctx = _ctx(_credential(), [_proof(ISSUER)])
    ctx.shared.update(schema_issues=["an issue"], json_chars=10 ** 7)
    assert _run(check_proof, ctx).outcome is Outcome.PASSED


def test_a_large_document_that_matches_its_schema_has_its_proofs_checked():
    from ecvet_credentials.verify.checks_proof import check_proof

    ctx = _ctx(_credential())
    ctx.shared.update(schema_issues=[], json_chars=10 ** 7)
    assert _run(check_proof, ctx).code == "PROOF_MISSING"
    ctx = _ctx(_credential())
    ctx.shared.update(schema_issues=["an issue"])  # size unknown: checked
    assert _run(check_proof, ctx).code == "PROOF_MISSING"


# --- issuer-binding --------------------------------------------------------------------------------
@pytest.mark.parametrize("issuer", [None, 7, {"name": "no id"}, {"id": 7}])
def test_a_credential_without_an_issuer_id_fails_the_binding(issuer):
    from ecvet_credentials.verify.checks_proof import check_issuer_binding, issuer_id

    doc = {"type": ["VerifiableCredential"], "issuer": issuer}
    assert issuer_id(doc) is None
    result = _run(check_issuer_binding, _ctx(doc, [_proof(ISSUER)]))
    assert (result.outcome, result.code) == (Outcome.FAILED, "NO_ISSUER")


def test_the_issuer_may_be_a_plain_id():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    result = _run(check_issuer_binding, _ctx({"type": ["VerifiableCredential"], "issuer": ISSUER}, [_proof(ISSUER)]))
    assert (result.outcome, result.details) == (Outcome.PASSED, {"issuer": ISSUER})
    assert ISSUER in result.message


def test_no_valid_proof_leaves_the_signer_unknown_and_that_is_required():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    result = _run(check_issuer_binding, _ctx(_credential(), [_proof(ISSUER, verified=False)]))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NO_VALID_PROOF", True)


def test_an_issuer_proof_for_authentication_does_not_bind_the_credential():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    result = _run(check_issuer_binding, _ctx(_credential(), [_proof(ISSUER, purpose="authentication")]))
    assert (result.code, result.details) == ("ISSUER_KEY_MISMATCH", {"issuer": ISSUER, "signers": [ISSUER]})


def test_one_proof_by_the_issuer_binds_it_whatever_the_others():
    from ecvet_credentials.verify.checks_proof import check_issuer_binding

    result = _run(check_issuer_binding, _ctx(_credential(), [_proof(OTHER), _proof(ISSUER, index=1)]))
    assert (result.outcome, result.code, result.details) == (Outcome.PASSED, "OK", {"issuer": ISSUER})
    assert result.message == f"Signed with a key controlled by the issuer {ISSUER}."


# --- holder-binding --------------------------------------------------------------------------------
def test_a_credential_has_no_holder_binding_and_that_is_not_required():
    from ecvet_credentials.verify.checks_holder import check_holder_binding

    result = _run(check_holder_binding, _ctx(_credential(), []))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NOT_APPLICABLE", False)


# --- issuer-trusted ----------------------------------------------------------------------------------
def _trusted(doc=None, proofs=None, **options):
    from ecvet_credentials.verify.checks_trust import check_issuer_trusted

    return _run(check_issuer_trusted, _ctx(doc or _credential(), [_proof(ISSUER)] if proofs is None else proofs, **options))


def test_a_presentation_is_trusted_per_credential_not_as_a_whole():
    result = _trusted({"type": ["VerifiablePresentation"]}, trust=_registry(_institution()))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NOT_APPLICABLE", False)


def test_without_a_registry_trust_is_required_and_not_checked_and_says_how_to_get_one():
    result = _trusted()
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NO_TRUST_REGISTRY", True)
    assert result.message.endswith(". Subscribe to one: ecvet trust subscribe URL --anchor DID")


def test_a_registry_whose_anchor_proof_failed_is_not_used():
    trust = _registry(_institution(), untrusted="the anchor's proof failed", anchor="did:example:anchor")
    result = _trusted(trust=trust)
    assert (result.outcome, result.code, result.details) == (Outcome.FAILED, "TRUST_REGISTRY_UNTRUSTED", {"anchor": "did:example:anchor"})
    assert "'test registry' was not used: the anchor's proof failed." in result.message


@pytest.mark.parametrize("now, expired", [("2026-11-30T23:59:59Z", False), ("2026-12-01T00:00:00Z", False),
                                          ("2026-12-01T00:00:01Z", True), ("2026-12-01T00:00:01", True)])
def test_a_registry_is_used_until_its_valid_until_instant(now, expired):
    from ecvet_credentials.core.timeutil import parse_datetime

    trust = _registry(_institution(), valid_until=parse_datetime("2026-12-01T00:00:00Z"))
    when = parse_datetime(now).replace(tzinfo=None) if not now.endswith("Z") else parse_datetime(now)  # naive: UTC
    result = _trusted(trust=trust, now=when)
    if expired:
        assert (result.outcome, result.code) == (Outcome.FAILED, "TRUST_REGISTRY_EXPIRED")
        assert "'test registry' expired on 2026-12-01;" in result.message
    else:
        assert result.outcome is Outcome.PASSED


def test_without_a_time_given_the_registry_expiry_is_judged_by_the_clock(clock):
    from ecvet_credentials.core.timeutil import parse_datetime

    trust = _registry(_institution(), valid_until=parse_datetime("2026-12-01T00:00:00Z"))
    clock.now = parse_datetime("2026-12-02T00:00:00Z")
    assert _trusted(trust=trust).code == "TRUST_REGISTRY_EXPIRED"
    clock.now = parse_datetime("2026-11-02T00:00:00Z")
    assert _trusted(trust=trust).outcome is Outcome.PASSED


def test_an_issuer_the_registry_does_not_list_is_not_trusted():
    result = _trusted(trust=_registry(_institution(OTHER)))
    assert (result.outcome, result.code, result.details) == (Outcome.FAILED, "ISSUER_NOT_TRUSTED", {"issuer": ISSUER})
    assert f"The issuer {ISSUER} is not in the trust registry 'test registry';" in result.message
    nameless = _trusted({"type": ["VerifiableCredential"]}, trust=_registry(_institution()))
    assert (nameless.code, nameless.details) == ("ISSUER_NOT_TRUSTED", {"issuer": None})


@pytest.mark.parametrize("types, roles, refused", [
    (["EcvetPersonalTranscript"], ("home",), "a host institution"),
    (["EcvetPersonalTranscript"], (), "a host institution"),
    (["EcvetRecognition"], ("host",), "a competent-authority or home institution"),
    (["EcvetPersonalTranscript", "EcvetRecognition"], ("intermediary",), "a competent-authority or home or host institution"),
    (["EcvetLearningAgreement"], ("intermediary",), None),
    (["EcvetRecognition"], ("competent-authority",), None),
    (["SomeOtherCredential"], (), None),  # no role asked of a type the ECVET profile does not know
])
def test_the_issuer_must_be_registered_in_a_role_that_may_issue_the_type(types, roles, refused):
    result = _trusted(_credential(ISSUER, *types), trust=_registry(_institution(roles=roles)))
    if refused:
        assert (result.outcome, result.code) == (Outcome.FAILED, "ISSUER_ROLE_MISMATCH")
        assert result.message == (f"Host School is registered as {', '.join(roles) or 'no role'}, but this credential must "
                                  f"come from {refused}.")
    else:
        assert (result.outcome, result.code) == (Outcome.PASSED, "OK")


def test_a_listed_issuer_named_without_its_valid_signature_is_not_established():
    for proofs in ([], [_proof(OTHER)], [_proof(ISSUER, verified=False)]):
        result = _trusted(proofs=proofs, trust=_registry(_institution()))
        assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "ISSUER_NOT_ESTABLISHED", True)
        assert "names Host School as its issuer" in result.message


def test_a_trusted_issuer_is_named_with_its_country_and_the_registry():
    result = _trusted(trust=_registry(_institution()))
    assert (result.outcome, result.code, result.details) == (Outcome.PASSED, "OK", {"institution": "Host School"})
    assert result.message == "Issued by Host School (DE), listed in 'test registry'."
    anchored = _trusted(trust=_registry(_institution(country=None), signed_by="did:example:anchor", age_note="2 h old"))
    assert anchored.message == "Issued by Host School (?), listed in 'test registry', signed by the anchor did:example:anchor. (2 h old)"


@pytest.mark.parametrize("created, revoked, code", [
    ("2026-11-20T15:00:00Z", None, None),
    ("2025-12-31T23:59:59Z", None, "KEY_NOT_YET_VALID"),
    ("2026-11-20T15:00:00Z", "2026-11-20T15:00:00Z", "KEY_REVOKED"),
    ("2026-11-20T14:59:59Z", "2026-11-20T15:00:00Z", None),
    (None, None, "KEY_NOT_YET_VALID"),  # no creation time: not shown to be inside the key's validity
])
def test_the_issuers_key_must_be_valid_when_the_proof_was_made(created, revoked, code):
    key = _key(f"{ISSUER}#key-1", revoked=revoked)
    result = _trusted(proofs=[_proof(ISSUER, created=created)], trust=_registry(_institution(keys=[key])))
    assert result.code == (code or "OK")
    assert result.outcome is (Outcome.FAILED if code else Outcome.PASSED)


def test_proofs_by_others_are_not_held_against_the_issuers_key_history():
    key = _key(f"{ISSUER}#key-1")
    proofs = [_proof(ISSUER), _proof(OTHER, index=1, created="2020-01-01T00:00:00Z"),
              _proof(ISSUER, index=2, verified=False, vm=f"{ISSUER}#key-9")]
    assert _trusted(proofs=proofs, trust=_registry(_institution(keys=[key]))).code == "OK"


# --- the pipeline's run and the document's description --------------------------------------------
def _described(doc: dict) -> dict:
    return verify_credential(doc, checks=["input"]).document


def test_the_report_describes_the_document_by_what_it_claims():
    doc = {"id": "urn:x", "type": ["VerifiableCredential"], "issuer": {"id": ISSUER, "name": "Host"},
           "credentialSubject": {"givenName": "Ada", "familyName": "Lovelace", "name": "ignored"}}
    assert _described(doc) == {"id": "urn:x", "type": ["VerifiableCredential"], "issuer": ISSUER, "issuerName": "Host",
                               "learner": "Ada Lovelace"}
    assert _described({"type": "VerifiableCredential", "issuer": ISSUER, "credentialSubject": {"familyName": "Lovelace"}}) == {
        "type": "VerifiableCredential", "issuer": ISSUER, "learner": "Lovelace"}
    assert _described({"type": ["VerifiableCredential"], "credentialSubject": {"name": "Ada L."}})["learner"] == "Ada L."


@pytest.mark.parametrize("name", [None, "", 5, "\ud800 lone surrogate", ["Host"], {"de": 5}])
def test_an_unprintable_or_empty_name_is_left_out_of_the_description(name):
    doc = {"type": ["VerifiableCredential"], "issuer": {"id": ISSUER, "name": name},
           "credentialSubject": {"givenName": name, "name": name}}
    assert verify_credential(doc, checks=["input"]).document == {"type": ["VerifiableCredential"], "issuer": ISSUER}


def test_long_names_are_cut_to_200_characters():
    doc = {"type": ["VerifiableCredential"], "issuer": {"id": ISSUER, "name": {"en": "H" * 300}},
           "credentialSubject": {"name": "L" * 300}}
    described = _described(doc)
    assert described["issuerName"] == "H" * 200 and described["learner"] == "L" * 200


def test_checks_not_requested_are_listed_as_such_but_input_always_runs():
    report = verify_credential({"type": ["VerifiableCredential"]}, checks=["schema"])
    assert [c.id for c in report.checks] == ["input", "contexts", "schema", "proof", "issuer-binding", "issuer-trusted",
                                             "validity-period", "status", "ecvet-consistency", "agreement-match", "holder-binding"]
    skipped = [c for c in report.checks if c.id not in ("input", "schema")]
    assert {(c.outcome, c.code, c.required, c.message) for c in skipped} == {
        (Outcome.NOT_CHECKED, "NOT_REQUESTED", False, "Not requested for this run.")}


def test_the_checks_speak_the_language_the_caller_chose():
    from ecvet_credentials.i18n import _, use_language

    english = verify_credential({"type": ["SomethingElse"]}).checks[0].message
    with use_language("de"):
        german = verify_credential({"type": ["SomethingElse"]}).checks[0].message
        assert german == _(english) != english


def test_a_check_that_cannot_complete_fails_with_its_error_and_the_run_goes_on(monkeypatch):
    from ecvet_credentials.core.errors import EcvetError
    from ecvet_credentials.verify import pipeline

    def broken(ctx, report):
        raise EcvetError("the schema store is unreadable", code="SCHEMA_STORE_BROKEN")

    monkeypatch.setitem(pipeline.CHECKS, "schema", broken)
    report = verify_credential({"type": ["VerifiableCredential"]}, checks=["schema", "proof"])
    schema = report.get("schema")
    assert (schema.outcome, schema.code, schema.message) == (Outcome.FAILED, "SCHEMA_STORE_BROKEN", "the schema store is unreadable")
    assert report.get("proof").code == "PROOF_MISSING" and report.verdict is Verdict.NOT_VERIFIED


def test_a_document_the_input_check_refuses_runs_no_other_check():
    report = verify_credential({"type": ["SomethingElse"]})
    assert [(c.id, c.code) for c in report.checks] == [("input", "NOT_A_CREDENTIAL")]


# --- status (the status package's answers, as the check reports them) --------------------------------
def _status(monkeypatch, entries: list, *, doc: dict | None = None, **options):
    from ecvet_credentials.status import check as status_check
    from ecvet_credentials.verify.checks_status import check_status

    calls = []

    def answer(credential, source, **kw):
        assert (credential, source) == (ctx.document, ctx.options.status_source)
        calls.append(kw)
        return entries

    monkeypatch.setattr(status_check, "check_status", answer)
    options.setdefault("status_source", object())
    ctx = _ctx(doc or {**_credential(), "credentialStatus": {}}, [], **options)
    result = _run(check_status, ctx)
    return result, calls


def _entry(outcome: str, *, purpose: str | None = "revocation", code: str = "", message: str = "", origin: str | None = "directory",
           age: float | None = None, url: str = "https://status.example/1"):
    from ecvet_credentials.status.check import StatusCheck

    return StatusCheck(purpose, 7, url, outcome, code, message, origin=origin, list_age_seconds=age)


@pytest.mark.parametrize("optional", [False, True])
def test_without_a_status_source_revocation_is_not_checked(monkeypatch, optional):
    result, calls = _status(monkeypatch, [], status_source=None, status_optional=optional)
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "STATUS_NOT_CHECKED", not optional)
    assert calls == []


def test_a_credential_without_status_cannot_be_revoked_and_nothing_is_fetched(monkeypatch):
    result, calls = _status(monkeypatch, [_entry("revoked")], doc=_credential())
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NO_STATUS", False)
    assert calls == []


@pytest.mark.parametrize("entries, outcome, code, required, says", [
    ([_entry("ok"), _entry("revoked", url="https://status.example/r")], Outcome.FAILED, "CREDENTIAL_REVOKED", True,
     "revoked this credential (https://status.example/r)."),
    ([_entry("stale"), _entry("suspended", purpose="suspension", url="https://status.example/s")], Outcome.FAILED,
     "CREDENTIAL_SUSPENDED", True, "suspended this credential (https://status.example/s);"),
    ([_entry("unavailable"), _entry("invalid", code="STATUS_LIST_SIGNATURE", message="bad proof.")], Outcome.FAILED,
     "STATUS_LIST_SIGNATURE", True, "cannot be trusted: bad proof."),
    ([_entry("invalid", message="x.")], Outcome.FAILED, "STATUS_LIST_INVALID", True, "cannot be trusted: x."),
    ([_entry("stale"), _entry("unavailable", code="STATUS_LIST_TIMEOUT", message="timed out.")], Outcome.NOT_CHECKED,
     "STATUS_LIST_TIMEOUT", True, "could not be checked: timed out."),
    ([_entry("unavailable", message="gone.")], Outcome.NOT_CHECKED, "STATUS_LIST_UNAVAILABLE", True, "could not be checked: gone."),
    ([_entry("ok"), _entry("stale", message="a week old.")], Outcome.WARNING, "STATUS_LIST_STALE", True, "out of date: a week old."),
])
def test_the_worst_entry_decides_the_status_check(monkeypatch, entries, outcome, code, required, says):
    result, _ = _status(monkeypatch, entries)
    assert (result.outcome, result.code, result.required) == (outcome, code, required)
    assert says in result.message
    assert result.details == {"entries": [e.to_json() for e in entries]}


def test_an_unavailable_list_is_optional_when_the_caller_says_so(monkeypatch):
    result, _ = _status(monkeypatch, [_entry("unavailable", message="gone.")], status_optional=True)
    assert (result.outcome, result.required) == (Outcome.NOT_CHECKED, False)


def test_a_status_entry_list_with_nothing_in_it_is_no_status(monkeypatch):
    result, _ = _status(monkeypatch, [])
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NO_STATUS", False)
    assert result.details == {}


@pytest.mark.parametrize("entries, where", [
    ([_entry("ok"), _entry("ok", purpose="suspension")], ""),
    ([_entry("ok", origin="network"), _entry("ok", origin="presented")], " (from lists supplied with the credential)"),
    ([_entry("ok", origin="network"), _entry("ok", purpose=None)], " (lists fetched from the issuer)"),
    ([_entry("ok", origin="cache", age=60.0), _entry("ok", origin="cache", age=7200.0), _entry("ok", origin="cache"),
      _entry("ok", origin="presented")], " (from a cached copy {age} old)"),
])
def test_a_pass_names_the_purposes_checked_and_where_the_lists_came_from(monkeypatch, entries, where):
    from datetime import timedelta

    from ecvet_credentials.net import describe_age

    result, _ = _status(monkeypatch, entries)
    assert (result.outcome, result.code, result.details) == (Outcome.PASSED, "OK", {"entries": [e.to_json() for e in entries]})
    purposes = "revocation, suspension" if any(e.purpose == "suspension" for e in entries) else "revocation"
    where = where.format(age=describe_age(timedelta(seconds=7200)))
    assert result.message == f"Not revoked or suspended (checked: {purposes})." + where


def test_an_unknown_status_purpose_is_named_as_it_is(monkeypatch):
    result, _ = _status(monkeypatch, [_entry("ok", purpose="message"), _entry("ok")])
    assert "(checked: message, revocation)" in result.message


def test_the_status_check_gets_the_time_the_maximum_age_and_the_issuers_registered_list_hosts(monkeypatch):
    from dataclasses import replace
    from datetime import datetime, timedelta, timezone

    now, age = datetime(2026, 11, 25, tzinfo=timezone.utc), timedelta(days=2)
    host = replace(_institution(), status_prefixes=("https://status.host.example/",))
    _, calls = _status(monkeypatch, [_entry("ok")], now=now, status_max_age=age, trust=_registry(host))
    assert calls == [{"now": now, "max_age": age, "allowed_prefixes": ("https://status.host.example/",)}]
    for trust in (None, _registry(host, untrusted="bad anchor"), _registry(_institution(OTHER))):
        _, calls = _status(monkeypatch, [_entry("ok")], trust=trust)
        assert calls[0]["allowed_prefixes"] is None  # the source's own configured hosts
    _, calls = _status(monkeypatch, [_entry("ok")], doc={"type": ["VerifiableCredential"], "credentialStatus": {}},
                       trust=_registry(host))
    assert calls[0]["allowed_prefixes"] is None


# --- agreement-match (the matcher's answers, as the check reports them) ------------------------------
TRANSCRIPT = {"type": ["VerifiableCredential", "EcvetPersonalTranscript"], "issuer": {"id": ISSUER}}
AGREEMENT = {"type": ["VerifiableCredential", "EcvetLearningAgreement"], "issuer": {"id": OTHER}}


def _agreement_ctx(doc=None, agreement=AGREEMENT, *, schema_issues=(), **options):
    ctx = _ctx(doc or TRANSCRIPT, [], agreement=agreement, **options)
    ctx.shared.update(schema_issues=list(schema_issues), rule_issues=[], model="the transcript's model")
    return ctx


def _match(monkeypatch, *, problems=(), warnings=(), units=1, checked_issues=(), raises=None, raises_in_match=None, **options):
    from ecvet_credentials.verify import agreement_match, agreement_signatures
    from ecvet_credentials.verify.agreement_match import AgreementMatch, UnitMatch
    from ecvet_credentials.verify.agreement_signatures import CheckedAgreement
    from ecvet_credentials.verify.checks_agreement import check_agreement_match

    calls: dict = {}
    checked = CheckedAgreement(digest="z", schema_issues=list(checked_issues))

    def check(agreement, *, resolver=None):
        calls["checked"] = (agreement, resolver)
        if raises:
            raise raises
        return checked

    def match(pt, la, **kw):
        calls["match"] = (pt, la, kw)
        if raises_in_match:
            raise raises_in_match
        return AgreementMatch(problems=list(problems), warnings=list(warnings),
                              units=[UnitMatch(f"U{i}", "matched", 5, 5) for i in range(units)], partnership="MoU-1")

    monkeypatch.setattr(agreement_signatures, "checked_agreement", check)
    monkeypatch.setattr(agreement_match, "match_agreement", match)
    ctx = _agreement_ctx(**options)
    return _run(check_agreement_match, ctx), calls, checked


def test_without_an_agreement_nothing_is_matched_and_that_is_not_required():
    from ecvet_credentials.verify.checks_agreement import check_agreement_match

    result = _run(check_agreement_match, _agreement_ctx(agreement=None))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NO_AGREEMENT", False)


def test_only_a_transcript_is_matched_against_an_agreement():
    from ecvet_credentials.verify.checks_agreement import check_agreement_match

    result = _run(check_agreement_match, _agreement_ctx(doc=AGREEMENT))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "NOT_APPLICABLE", False)


def test_a_transcript_that_fails_its_schema_is_not_matched_and_that_is_required():
    from ecvet_credentials.verify.checks_agreement import check_agreement_match

    result = _run(check_agreement_match, _agreement_ctx(schema_issues=["an issue"]))
    assert (result.outcome, result.code, result.required) == (Outcome.NOT_CHECKED, "SCHEMA_INVALID", True)


@pytest.mark.parametrize("agreement", [[AGREEMENT], TRANSCRIPT, {"type": ["VerifiableCredential"]}])
def test_something_other_than_a_learning_agreement_is_refused_unread(monkeypatch, agreement):
    result, calls, _ = _match(monkeypatch, agreement=agreement)
    assert (result.outcome, result.code) == (Outcome.FAILED, "AGREEMENT_INVALID")
    assert calls == {}


def test_a_learning_agreement_that_fails_its_schema_is_refused(monkeypatch):
    result, calls, _ = _match(monkeypatch, checked_issues=["an issue"])
    assert (result.outcome, result.code) == (Outcome.FAILED, "AGREEMENT_INVALID") and "match" not in calls


@pytest.mark.parametrize("where", ["checked_agreement", "match_agreement"])
def test_an_agreement_that_cannot_be_read_fails_the_match_with_the_reason(monkeypatch, where):
    from ecvet_credentials.core.errors import EcvetError

    error = EcvetError("the agreement's proof set is unreadable", code="AGREEMENT_UNREADABLE")
    result, _, _ = _match(monkeypatch, **{"raises" if where == "checked_agreement" else "raises_in_match": error})
    assert (result.outcome, result.code) == (Outcome.FAILED, "AGREEMENT_UNREADABLE")
    assert result.message.endswith(": the agreement's proof set is unreadable")


def test_the_matcher_gets_the_checked_agreement_the_model_and_the_verifiers_sources(monkeypatch):
    resolver, trust, mou = object(), _registry(), {"type": ["MoU"]}
    result, calls, checked = _match(monkeypatch, resolver=resolver, trust=trust, mou=mou)
    assert calls["checked"] == (AGREEMENT, resolver)
    assert calls["match"] == (TRANSCRIPT, AGREEMENT, {"resolver": resolver, "transcript_model": "the transcript's model",
                                                     "checked": checked, "trust": trust, "mou": mou})
    assert (result.outcome, result.code) == (Outcome.PASSED, "OK")
    assert result.message == ("Same learner and host, within the agreed period; all 1 units agreed, points within the "
                              "agreement. MoU: MoU-1.")
    assert result.details["matched"] is True and result.details["partnership"] == "MoU-1"


@pytest.mark.parametrize("problems, says", [
    ([("LEARNER_MISMATCH", "Another learner.")], "Another learner."),
    ([("LEARNER_MISMATCH", "Another learner."), ("HOST_MISMATCH", "x"), ("PERIOD", "y")], "Another learner. (and 2 more problem(s))"),
    ([("LEARNER_MISMATCH", "Another learner."), ("HOST_MISMATCH", "x")], "Another learner. (and 1 more problem(s))"),
])
def test_the_first_problem_fails_the_match_and_the_others_are_counted(monkeypatch, problems, says):
    result, _, _ = _match(monkeypatch, problems=problems, warnings=[("UNIT_NOT_AGREED", "w")])
    assert (result.outcome, result.code, result.message) == (Outcome.FAILED, "LEARNER_MISMATCH", says)
    assert result.details["problems"][0] == {"code": "LEARNER_MISMATCH", "message": "Another learner."}


def test_a_match_with_warnings_is_a_warning_with_every_one_of_them(monkeypatch):
    result, _, _ = _match(monkeypatch, warnings=[("UNIT_NOT_AGREED", "U9 was not agreed"), ("UNIT_NOT_ASSESSED", "U2 missing")])
    assert (result.outcome, result.code) == (Outcome.WARNING, "UNIT_NOT_AGREED")
    assert result.message == "Matches the agreement, but: U9 was not agreed; U2 missing"
    assert len(result.details["warnings"]) == 2


def test_every_option_of_verify_credential_reaches_the_checks(monkeypatch):
    from datetime import datetime, timedelta, timezone

    from ecvet_credentials.verify import pipeline
    from ecvet_credentials.verify.context import VerifyOptions

    seen = []

    def spy(ctx, report):
        seen.append(ctx)
        report.failed("input", "STOP", "stop here")

    monkeypatch.setitem(pipeline.CHECKS, "input", spy)
    options = dict(now=datetime(2026, 11, 25, tzinfo=timezone.utc), clock_skew=7.5, offline=False, resolver=object(),
                   trust=object(), agreement={"la": 1}, mou={"mou": 1}, status_source=object(), status_optional=True,
                   status_max_age=timedelta(days=2), challenge="c-1", domain="verifier.example", registry=object(),
                   limits=object(), inline_contexts=True, generic_presentations=True)
    doc = {"type": ["VerifiableCredential"]}
    report = verify_credential(doc, checks=["proof"], **options)
    (ctx,) = seen
    assert ctx.options == VerifyOptions(checks=frozenset({"proof"}), **options)
    assert ctx.document is doc and ctx.verify_nested is verify_credential
    assert [c.code for c in report.checks] == ["STOP"]
    verify_credential(doc)
    assert seen[1].options == VerifyOptions()  # the defaults: all checks, offline, nothing given


@pytest.mark.parametrize("types, purpose", [(["VerifiablePresentation"], "authentication"), (["VerifiableCredential"], None)])
def test_the_proofs_are_verified_with_the_verifiers_options_and_a_presentations_purpose(monkeypatch, types, purpose):
    from ecvet_credentials import proofs
    from ecvet_credentials.proofs.engine import ProofSetResult
    from ecvet_credentials.verify.checks_proof import proof_results

    calls = []
    monkeypatch.setattr(proofs, "verify_proofs", lambda doc, **kw: calls.append((doc, kw)) or ProofSetResult())
    resolver, registry, limits = object(), object(), object()
    doc = {"type": types}
    ctx = _ctx(doc, resolver=resolver, challenge="c-1", domain="verifier.example", registry=registry, limits=limits)
    assert proof_results(ctx) is proof_results(ctx)
    assert calls == [(doc, {"resolver": resolver, "purpose": purpose, "challenge": "c-1", "domain": "verifier.example",
                            "registry": registry, "limits": limits})]


@pytest.mark.parametrize("purpose, frame", [("revocation", "Revocation"), ("suspension", "Suspension"), (None, "Revocation")])
def test_a_list_that_cannot_be_had_is_said_under_its_purpose(monkeypatch, purpose, frame):
    result, _ = _status(monkeypatch, [_entry("unavailable", purpose=purpose, message="the host is unreachable.")])
    assert result.message == f"{frame} could not be checked: the host is unreachable."


def test_the_purposes_checked_are_named_in_the_readers_language(monkeypatch):
    from ecvet_credentials.i18n import use_language

    with use_language("de"):
        result, _ = _status(monkeypatch, [_entry("ok", purpose="suspension"), _entry("ok"), _entry("ok", purpose="other")])
    assert "(geprüft: other, Widerruf, Aussetzung)" in result.message
