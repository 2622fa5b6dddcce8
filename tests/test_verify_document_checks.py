"""The checks on the document itself as a verifier reads them: contexts, schema and ECVET rule issues, the
clock, formats this version does not read, the options (written for `make mutation` in verify/)."""
from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from ecvet_credentials.verify import verify_credential
from verify_samples import NOW, V2, generic


def test_the_ecvet_rules_run_once_and_their_model_is_what_the_agreement_match_reads(monkeypatch):
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential, build_transcript_credential, reference_to, schemas
    from ecvet_credentials.verify import agreement_match

    la = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    pt = build_transcript_credential(replace(ms.pt, agreement=reference_to(la)), valid_from="2026-12-10T10:00:00Z")
    rules, matched = [], []
    check_rules, match = schemas.check_rules, agreement_match.match_agreement

    def counting(doc):
        rules.append(check_rules(doc))
        return rules[-1]

    def spying(*args, **kwargs):
        matched.append(kwargs["transcript_model"])
        return match(*args, **kwargs)

    monkeypatch.setattr(schemas, "check_rules", counting)
    monkeypatch.setattr(agreement_match, "match_agreement", spying)
    report = verify_credential(pt, agreement=la, now=datetime(2026, 12, 11, tzinfo=timezone.utc))
    assert report.get("ecvet-consistency").code == "OK" and report.get("agreement-match") is not None
    assert len(rules) == 1 and matched == [rules[0][1]] and matched[0] is not None


@pytest.fixture(scope="module")
def transcript():
    from dataclasses import replace

    import model_samples as ms
    from ecvet_credentials.model import build_agreement_credential, build_transcript_credential, reference_to

    la = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    return build_transcript_credential(replace(ms.pt, agreement=reference_to(la)), valid_from="2026-12-10T10:00:00Z")


AFTER = datetime(2026, 12, 11, tzinfo=timezone.utc)


def test_the_schema_check_names_its_schema_and_lists_at_most_twenty_issues(transcript):
    import copy

    ok = verify_credential(transcript, now=AFTER)
    schema = ok.get("schema")
    assert (schema.code, schema.details) == ("OK", {"schema": "personal-transcript-v1"}) and "personal-transcript-v1" in schema.message
    assert (ok.get("ecvet-consistency").code, ok.get("ecvet-consistency").details) == ("OK", {})
    many = copy.deepcopy(transcript)
    many["credentialSubject"]["hasClaim"]["hasPart"] = list(range(25))
    report = verify_credential(many, now=AFTER)
    schema = report.get("schema")
    assert (schema.outcome.value, schema.code, schema.details["schema"]) == ("failed", "SCHEMA_INVALID", "personal-transcript-v1")
    issues = schema.details["issues"]
    assert len(issues) == 20 and issues[0] == {"path": "$.credentialSubject.hasClaim.hasPart[0]",
                                               "message": "0 is not of type 'object'", "code": "SCHEMA_INVALID"}
    assert schema.message == "$.credentialSubject.hasClaim.hasPart[0]: 0 is not of type 'object' (and 20 more)"
    rules = report.get("ecvet-consistency")
    assert (rules.outcome.value, rules.code, rules.required) == ("not_checked", "SCHEMA_INVALID", True)
    one = copy.deepcopy(transcript)
    one["credentialSubject"]["familyName"] = 7
    assert verify_credential(one, now=AFTER).get("schema").message == "$.credentialSubject.familyName: 7 is not of type 'string'"


def test_a_broken_ecvet_rule_is_listed_with_the_others(transcript):
    import copy

    doc = copy.deepcopy(transcript)
    doc["credentialSubject"]["hasClaim"]["influencedBy"]["temporal"]["endDate"] = "2026-09-01"
    check = verify_credential(doc, now=AFTER).get("ecvet-consistency")
    assert (check.outcome.value, check.code) == ("failed", "ECVET_RULE_VIOLATION")
    path = "$.credentialSubject.hasClaim.influencedBy.temporal.endDate"
    assert check.message == f"{path}: 2026-09-01 is before startDate 2026-09-28 (and 1 more)"
    assert check.details["issues"][0] == {"path": path, "message": "2026-09-01 is before startDate 2026-09-28",
                                          "code": "RULE_VIOLATION"} and len(check.details["issues"]) == 2
    one = copy.deepcopy(transcript)
    one["credentialSubject"]["hasClaim"]["influencedBy"]["durationWeeks"] = 9
    assert verify_credential(one, now=AFTER).get("ecvet-consistency").message == (
        "$.credentialSubject.hasClaim.influencedBy.durationWeeks: 9 weeks do not fit between 2026-09-28 and 2026-11-20")


def test_a_naive_clock_is_utc():
    check = verify_credential(generic(validFrom="2026-06-01T12:00:00Z"), now=datetime(2026, 6, 1, 11, 54)).get("validity-period")
    assert check.code == "NOT_YET_VALID" and "2026-06-01T11:54:00Z" in check.message


def test_a_sealed_europass_is_known_by_its_payload_and_signatures_without_context():
    from ecvet_credentials.verify.formats import is_sealed_europass, unsupported_format_message

    assert is_sealed_europass({"payload": "eyJ", "signatures": []})
    for doc in ({"payload": "eyJ", "signatures": [], "@context": [V2]}, {"payload": {}, "signatures": []},
                {"payload": "eyJ", "signatures": {}}, {"payload": "eyJ"}, {"signatures": []}, ["payload", "signatures"]):
        assert not is_sealed_europass(doc) and unsupported_format_message(doc) is None
    assert "sealed Europass" in unsupported_format_message({"payload": "eyJ", "signatures": [{}]})


@pytest.mark.parametrize("url, europass", [
    ("http://data.europa.eu/snb/model/context/edc-ap", True), ("https://data.europa.eu/snb/model/context/edc-ap", True),
    ("https://data.europa.eu/snb/model/other", False), ("https://example.org/ctx", False),
])
def test_an_unknown_context_says_whether_it_is_europass(url, europass):
    from ecvet_credentials.verify.formats import unknown_context_message

    message = unknown_context_message(url)
    assert message.startswith("The document ") and url in message
    assert ("is a Europass credential" in message) is europass
    assert unknown_context_message(url, name="The agreement").startswith("The agreement ")


def test_the_options_know_every_check_and_want_only_those_asked():
    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions

    with pytest.raises(ValueError, match=r"\['nope'\]"):
        VerifyOptions(checks=frozenset({"proof", "nope"}))
    every = VerifyContext({}, VerifyOptions())
    assert every.wants("proof") and every.wants("status")
    some = VerifyContext({}, VerifyOptions(checks=frozenset({"proof"})))
    assert some.wants("proof") and not some.wants("status")
    assert VerifyOptions().clock_skew == 300 and VerifyOptions().offline is True


def test_the_contexts_check_names_the_context_and_lists_those_it_accepted():
    examples = "https://www.w3.org/ns/credentials/examples/v2"
    ok = verify_credential(generic(**{"@context": [V2, examples]}), now=NOW).get("contexts")
    assert (ok.code, ok.details) == ("OK", {"contexts": [V2, examples]}) and ok.message
    first = verify_credential(generic(**{"@context": [examples, V2]}), now=NOW).get("contexts")
    assert first.code == "NO_VC_CONTEXT" and V2 in first.message and repr(examples) in first.message
    unknown = verify_credential(generic(**{"@context": [V2, "https://example.org/ctx"]}), now=NOW).get("contexts")
    assert unknown.details == {"url": "https://example.org/ctx"} and "https://example.org/ctx" in unknown.message
    inline = verify_credential(generic(**{"@context": [V2, {"a": "urn:x:a"}]}), now=NOW).get("contexts")
    assert inline.code == "INLINE_CONTEXT" and inline.message.startswith("The document embeds an inline @context")
    two = [V2, {"a": "https://school.example/a"}, {"b": "https://school.example/b"}]
    passed = verify_credential(generic(**{"@context": two}), now=NOW, inline_contexts=True).get("contexts")
    assert (passed.code, passed.details) == ("OK", {"contexts": two}) and "; 2 inline context object(s)" in passed.message
    after = verify_credential(generic(**{"@context": [V2, {"a": "https://school.example/a"}, "https://example.org/ctx"]}),
                              now=NOW, inline_contexts=True).get("contexts")
    assert after.code == "UNKNOWN_CONTEXT"  # an inline context does not end the check of those after it


def test_a_bundled_context_that_changed_on_disk_is_refused_with_the_reason(tmp_path, repo_dir):
    import shutil

    from ecvet_credentials.jsonld.contexts import ContextRegistry

    examples = "https://www.w3.org/ns/credentials/examples/v2"
    shutil.copytree(repo_dir / "contexts", tmp_path / "contexts")
    index = json.loads((tmp_path / "contexts" / "index.json").read_text())
    (tmp_path / "contexts" / index["contexts"][examples]["file"]).write_text('{"@context": {"@vocab": "urn:evil#"}}')
    check = verify_credential(generic(**{"@context": [V2, examples]}), registry=ContextRegistry(tmp_path / "contexts"),
                              now=NOW).get("contexts")
    assert check.code == "CONTEXT_PIN_MISMATCH" and examples in check.message and check.message != "None"


def test_checks_that_do_not_apply_still_say_why():
    report = verify_credential(generic(), now=NOW)
    for check_id in ("schema", "ecvet-consistency"):
        check = report.get(check_id)
        assert check.outcome.value == "not_checked" and not check.required and isinstance(check.message, str) and check.message


def _input(doc, **options):
    from ecvet_credentials.verify.checks_document import check_input
    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions
    from ecvet_credentials.verify.report import VerificationReport

    ctx, report = VerifyContext(doc, VerifyOptions(**options)), VerificationReport()
    check_input(ctx, report)
    return report.checks[0], ctx.shared["json_chars"]


def test_the_input_check_measures_the_json_text_and_refuses_what_is_not_json():
    from ecvet_credentials.jsonld.limits import Limits

    doc = generic(name="Università")
    check, chars = _input(doc)
    assert (check.id, check.code, chars) == ("input", "OK", len(json.dumps(doc, ensure_ascii=False))) and check.message
    nan, chars = _input(generic(points=float("nan")))
    assert (nan.id, nan.code, chars) == ("input", "NOT_JSON", 0) and nan.message.startswith("The document is not plain JSON (ValueError: ")
    lone, chars = _input(generic(name="\ud800"))
    assert (lone.code, chars) == ("NOT_JSON", 0) and "surrogate" in lone.message
    two_proofs = generic(proof=[{"type": "DataIntegrityProof"}] * 2)
    refused, _ = _input(two_proofs, limits=Limits(max_proofs=1))
    assert (refused.id, refused.code) == ("input", "TOO_MANY_PROOFS") and "the 1 this verifier checks" in refused.message
    sealed, _ = _input({"payload": "eyJ", "signatures": []})
    assert (sealed.id, sealed.code) == ("input", "UNSUPPORTED_FORMAT") and "Europass" in sealed.message


def test_the_validity_messages_are_translated_and_name_the_dates():
    from ecvet_credentials.i18n import use_language

    def message(**fields):
        return verify_credential(generic(**fields), now=NOW).get("validity-period").message

    with use_language("de"):
        for field, raw in (("validFrom", "soon"), ("validUntil", "later")):
            text = message(**{field: raw})
            assert f"'{raw}'" in text and "is not an XML Schema dateTime" not in text, text
    assert message(validFrom="2026-06-02T00:00:00Z", validUntil="2026-06-01T00:00:00Z")
    assert "2026-06-03T00:00:00Z" in message(validFrom="2026-06-03T00:00:00Z")
    assert "checked at 2026-06-01T12:00:00Z" in message(validUntil="2026-05-01T00:00:00Z")
    assert message(validUntil="2027-01-01T00:00:00Z").startswith("Valid at 2026-06-01T12:00:00Z until 2027-01-01T00:00:00Z")


def test_the_schema_is_checked_once_per_verification_and_two_issues_say_one_more(transcript, monkeypatch):
    import copy

    from ecvet_credentials.model import schemas

    calls = []
    validate = schemas.validate

    def counting(doc, **kwargs):
        calls.append(kwargs)
        return validate(doc, **kwargs)

    monkeypatch.setattr(schemas, "validate", counting)
    two = copy.deepcopy(transcript)
    two["credentialSubject"]["familyName"] = 7
    two["credentialSubject"]["givenName"] = 7
    report = verify_credential(two, now=AFTER)
    assert report.get("schema").message.endswith("is not of type 'string' (and 1 more)")
    assert calls == [{"rules": False}]
    assert verify_credential(transcript, now=AFTER).get("ecvet-consistency").message
