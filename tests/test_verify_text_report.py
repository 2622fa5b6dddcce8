"""The text report and the verdict in words: every line, its mark and colour, the issuer as fact or claim, the
credentials inside a presentation (written for `make mutation` in verify/render_text.py, verdict_text.py)."""
from __future__ import annotations

import pytest

from ecvet_credentials.verify.report import VerificationReport


def test_the_verdict_words_are_the_translated_result_line():
    from ecvet_credentials.i18n import use_language
    from ecvet_credentials.verify.report import Verdict
    from ecvet_credentials.verify.verdict_text import verdict_words

    assert verdict_words("verified") == "VERIFIED"
    with use_language("de"):
        assert verdict_words(Verdict.VERIFIED) == "VERIFIZIERT"
        assert verdict_words("not_verified") != "NOT VERIFIED"


@pytest.mark.parametrize("line", ["VERIFIZIERT", "Ergebnis:", "Ergebnis:  "])
def test_a_result_line_without_words_after_its_label_falls_back_to_english(monkeypatch, line):
    from ecvet_credentials.verify import verdict_text

    monkeypatch.setattr(verdict_text, "_", lambda message: line)
    assert verdict_text.verdict_words("could_not_check") == "COULD NOT CHECK"


def _checklist():
    report = VerificationReport(document={"type": ["VerifiableCredential", "EcvetPersonalTranscript"], "id": "urn:x:1",
                                          "learner": "Ada Rossi", "issuer": "did:example:s", "issuerName": "Berufskolleg"})
    report.passed("input", "readable")
    report.failed("schema", "SCHEMA_INVALID", "$.x: bad")
    report.passed("proof", "sig ok")
    report.failed("issuer-trusted", "ISSUER_UNKNOWN", "not listed")
    report.warning("validity-period", "SOON", "soon over")
    report.not_checked("status", "NO_LIST", "list unreachable")
    report.not_checked("agreement-match", "NO_AGREEMENT", "no agreement given", required=False)
    report.passed("x-extra", "extra ok")
    return report


CHECKLIST = [
    "Document: EcvetPersonalTranscript",
    "Id:       urn:x:1",
    "Learner:  Ada Rossi",
    'Issuer:   claims to be "Berufskolleg" (did:example:s); not recognised by a trust registry you use',
    "",
    "[PASS] Readable credential: readable",
    "[FAIL] Matches its schema: $.x: bad",
    "[PASS] Signature: sig ok",
    "[NOT CHECKED] Issuer is a trusted institution: not listed",   # amber, never a red FAIL
    "[WARN] Within its validity period: soon over",
    "[NOT CHECKED] Not revoked or suspended: list unreachable",
    "[PASS] x-extra: extra ok",                                     # a check without a label shows its id
    "",
    "Result: NOT VERIFIED (schema, issuer-trusted, status)",
]


def test_the_text_report_lists_the_document_the_checks_and_the_verdict():
    from ecvet_credentials.verify.render_text import render_text

    assert render_text(_checklist()).splitlines() == CHECKLIST
    verbose = render_text(_checklist(), verbose=True).splitlines()
    assert verbose == CHECKLIST[:11] + ["[----] Matches the Learning Agreement: no agreement given"] + CHECKLIST[11:]


def test_the_text_report_in_colour_marks_every_line_and_the_verdict():
    from ecvet_credentials.verify.render_text import render_text

    green, red, yellow, bold, end = "\x1b[32m", "\x1b[31m", "\x1b[33m", "\x1b[1m", "\x1b[0m"
    lines = render_text(_checklist(), color=True, verbose=True).splitlines()
    assert lines[5] == f"[{green}{bold}PASS{end}] Readable credential: readable"
    assert lines[6] == f"[{red}{bold}FAIL{end}] Matches its schema: $.x: bad"
    assert lines[8] == f"[{yellow}{bold}NOT CHECKED{end}] Issuer is a trusted institution: not listed"
    assert lines[9] == f"[{yellow}{bold}WARN{end}] Within its validity period: soon over"
    assert lines[11] == f"[{bold}----{end}] Matches the Learning Agreement: no agreement given"
    assert lines[-1] == f"{red}{bold}Result: NOT VERIFIED (schema, issuer-trusted, status){end}"
    assert lines[:5] == CHECKLIST[:5]


def _passed(document, trusted="passed"):
    report = VerificationReport(document=document)
    report.passed("input", "ok")
    report.passed("proof", "ok")
    if trusted == "passed":
        report.passed("issuer-trusted", "listed")
    elif trusted == "warning":
        report.warning("issuer-trusted", "ROLE", "listed, another role")
    else:
        report.not_checked("issuer-trusted", "NO_REGISTRY", "no registry", required=False)
    return report


def test_a_verified_credential_shows_its_recognised_issuer_as_fact():
    from ecvet_credentials.verify.render_text import render_text

    doc = {"type": ["VerifiableCredential"], "issuer": "did:example:s", "issuerName": "Berufskolleg"}
    text = render_text(_passed(doc))
    assert text.splitlines() == ["Document: VerifiableCredential", "Learner:  (not named)",
                                 "Issuer:   Berufskolleg (did:example:s)", "",
                                 "[PASS] Readable credential: ok", "[PASS] Signature: ok",
                                 "[PASS] Issuer is a trusted institution: listed", "", "Result: VERIFIED"]
    green, bold, end = "\x1b[32m", "\x1b[1m", "\x1b[0m"
    assert render_text(_passed(doc), color=True).splitlines()[-1] == f"{green}{bold}Result: VERIFIED{end}"
    nameless = render_text(_passed({"type": "VerifiableCredential", "issuer": "did:example:s"}, "warning")).splitlines()
    assert nameless[:3] == ["Document: VerifiableCredential", "Learner:  (not named)", "Issuer:   did:example:s"]
    assert "[WARN] Issuer is a trusted institution: listed, another role" in nameless


def test_an_issuer_no_registry_was_asked_about_is_a_claim_and_its_line_is_shown():
    from ecvet_credentials.verify.render_text import render_text

    lines = render_text(_passed({"type": ["VerifiableCredential"], "learner": "Ada"}, "none")).splitlines()
    assert lines[1:3] == ["Learner:  Ada", "Issuer:   names no institution (?); not recognised by a trust registry you use"]
    assert "[NOT CHECKED] Issuer is a trusted institution: no registry" in lines
    assert lines[-1] == "Result: VERIFIED"  # the caller did not ask for the trust check


def test_a_report_with_no_check_says_so():
    from ecvet_credentials.verify.render_text import render_text

    assert render_text(VerificationReport()).splitlines() == ["", "Result: COULD NOT CHECK (no check ran)"]


def test_a_presentation_shows_one_line_per_credential_inside():
    from ecvet_credentials.verify.render_text import render_text

    report = _passed({"type": ["VerifiablePresentation", "EcvetPresentation"], "id": "urn:vp:1"})
    report.failed("credentials", "CREDENTIAL_NOT_VERIFIED", "2 of 4 did not verify")
    report.extra["credentials"] = [
        {"verified": True, "document": {"type": ["VerifiableCredential", "EcvetRecognition"], "id": "urn:x:1"}},
        {"verified": False, "verdict": "could_not_check", "document": {"type": "EcvetPersonalTranscript"},
         "checks": [{"id": "input", "outcome": "passed", "message": "ok"},
                    {"id": "agreement-match", "outcome": "failed", "required": False, "message": "optional"},
                    {"id": "status", "outcome": "not_checked", "message": "list unreachable"},
                    {"id": "proof", "outcome": "failed", "message": "bad"}]},
        {"verified": False, "document": {"type": ["VerifiableCredential"], "id": "urn:x:3"},
         "checks": [{"id": "validity-period", "outcome": "warning", "message": "soon"}]},
        {"verified": False},
    ]
    lines = render_text(report).splitlines()
    assert lines[:2] == ["Document: EcvetPresentation", "Id:       urn:vp:1"] and "Learner" not in lines[2]
    alone = render_text(_passed({"type": "VerifiablePresentation"})).splitlines()
    assert alone[:2] == ["Document: VerifiablePresentation", ""]
    assert lines[-8:] == [
        "[FAIL] Every credential inside verifies: 2 of 4 did not verify",
        "",
        "  Credential 1: EcvetRecognition urn:x:1: VERIFIED",
        "  Credential 2: EcvetPersonalTranscript: COULD NOT CHECK (status: list unreachable)",
        "  Credential 3: credential urn:x:3: NOT VERIFIED (no check ran)",
        "  Credential 4: credential: NOT VERIFIED (no check ran)",
        "",
        "Result: NOT VERIFIED (credentials)",
    ]
