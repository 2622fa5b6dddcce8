"""The ECVET manual's rules that the product used to contradict, each as a test: points optional,
assessment after the return, the guardian at the signing date, the intermediary's signature, and
units beyond the agreement recognised one by one; plus the hardening of recognition (issue 12,
class 4): a unit matches only when it is the agreed unit, the MoU partnership on the mobility dates,
ECVET types always get ECVET checks, VC 1.1 dates, unique list items and one time zone."""
from __future__ import annotations

import copy
import json
from dataclasses import replace
from datetime import date, datetime, timezone

import pytest

import model_samples as ms
from ecvet_credentials.model import schemas
from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.crypto.keys import load_key_file
from ecvet_credentials.ecvet.agreement_signatures import AgreementSigningError, sign_agreement
from ecvet_credentials.verify.agreement_signatures import signature_status
from ecvet_credentials.model import (
    AssessmentArrangement,
    Institution,
    Learner,
    LearningOutcome,
    Person,
    UnitOfLearningOutcomes,
    UnitResult,
    build_agreement_credential,
    build_recognition_credential,
    build_transcript_credential,
    recognition_from_credential,
    reference_to,
    transcript_from_credential,
)
from ecvet_credentials.ecvet.recognition import UnitDecision, build_recognition
from ecvet_credentials.verify.agreement_match import match_agreement, match_units
from ecvet_credentials.trust.registry import parse_trust_registry
from verify_corpus import REPO

KEYS = REPO / "keys-example"


@pytest.fixture(scope="module")
def keys():
    return {n: load_key_file(KEYS / f"{n}.key", passphrase=b"ecvet-example-do-not-use")
            for n in ("home", "host", "learner", "guardian", "authority", "supervisor")}


@pytest.fixture(scope="module")
def trust():
    return parse_trust_registry(json.loads((KEYS / "trust-registry.json").read_text()))


def signed_la(model, keys, parties=("home", "host", "learner", "guardian"), created="2026-09-15T10:00:00Z"):
    doc = build_agreement_credential(model, valid_from="2026-09-15T00:00:00Z")
    for party in parties:
        doc, _ = sign_agreement(doc, keys[party], created=created)
    return doc


def pt_doc(model, la_doc):
    return build_transcript_credential(replace(model, agreement=reference_to(la_doc)), valid_from="2026-12-10T10:00:00Z")


# --- points where relevant, outcomes always -------------------------------------------------------
def test_points_are_optional_and_the_credit_is_the_outcomes(keys, trust):
    la_units = tuple(replace(u, ecvet_points=None) for u in ms.la_units)
    la = signed_la(replace(ms.la, units=la_units), keys)
    pt_units = tuple(UnitResult(replace(r.unit, ecvet_points=None), None, r.assessment) for r in ms.pt.units)
    pt = pt_doc(replace(ms.pt, units=pt_units), la)
    assert schemas.validate(la) == [] and schemas.validate(pt) == []
    assert all("creditPoint" not in s for s in la["credentialSubject"]["hasClaim"]["influences"])
    assert match_agreement(pt, la, trust=trust).matched
    rec = build_recognition(pt, la, decision_date=date(2026, 12, 12), responsible=Person("Laura Bianchi"))
    assert rec.total_points is None and all(u.points is None and u.recognised and u.outcomes for u in rec.units)
    doc = build_recognition_credential(rec, valid_from="2026-12-12T10:00:00Z")
    assert "creditReceived" not in doc["credentialSubject"]["hasClaim"] and schemas.validate(doc) == []
    assert [len(u.outcomes) for u in recognition_from_credential(doc).units] == [5, 5, 5]
    with pytest.raises(AuthoringError, match="no ECVET points"):
        UnitResult(replace(ms.units[0], ecvet_points=None), 3, ms.pt.units[0].assessment)


# --- assessment after the return -------------------------------------------------------------------
def _assessed_on(day: str):
    first = ms.pt.units[0]
    return replace(ms.pt, units=(replace(first, assessment=replace(first.assessment, date=day)), *ms.pt.units[1:]))


@pytest.mark.parametrize("until, day, outcome", [
    (None, "2026-11-20", "matched"),                  # the last day of the mobility
    (None, "2026-11-21", "assessed-late"),            # the day after the return: not agreed
    ("2026-12-04", "2026-12-04", "matched"),          # agreed: until this day
    ("2026-12-04", "2026-12-05", "assessed-late"),
])
def test_assessment_after_the_return_only_when_the_agreement_allows_it(until, day, outcome):
    arrangement = replace(ms.la.assessment[0], until=until)
    la = replace(ms.la, assessment=(arrangement,))
    assert match_units(_assessed_on(day), la)[0].outcome == outcome
    pt = build_transcript_credential(_assessed_on(day), valid_from="2026-12-10T10:00:00Z")
    assert schemas.validate(pt) == []  # the transcript itself may record the later date


# --- the guardian at the signing date ----------------------------------------------------------------
def _turning_18(on: str) -> Learner:
    born = date.fromisoformat(on).replace(year=date.fromisoformat(on).year - 18)
    return replace(ms.learner, date_of_birth=born)


def test_a_learner_who_signs_before_turning_18_needs_the_guardian(keys):
    learner = _turning_18("2026-09-20")   # 17 on 2026-09-15 (signing), 18 on 2026-09-28 (start)
    la_model = replace(ms.la, learner=learner, guardian=None)
    assert not la_model.is_minor
    doc = build_agreement_credential(la_model, valid_from="2026-09-15T00:00:00Z")
    with pytest.raises(AgreementSigningError) as err:
        sign_agreement(doc, keys["learner"], created="2026-09-15T10:00:00Z")
    assert err.value.code == "GUARDIAN_REQUIRED"
    # Signing after the 18th birthday needs no guardian.
    signed, role = sign_agreement(doc, keys["learner"], created="2026-09-21T10:00:00Z")
    assert role == "learner" and "guardian" not in {s.role for s in signature_status(signed).required}


def test_guardian_named_becomes_required_when_the_learner_signed_as_a_minor(keys):
    la_model = replace(ms.la, learner=_turning_18("2026-09-20"))
    doc = signed_la(la_model, keys, parties=("home", "host", "learner"))
    status = signature_status(doc)
    assert not status.complete and [s.role for s in status.missing] == ["guardian"]
    doc, _ = sign_agreement(doc, keys["guardian"], created="2026-09-15T11:00:00Z")
    assert signature_status(doc).complete
    unsigned = copy.deepcopy(doc)
    unsigned["credentialSubject"].pop("guardian")
    issues = schemas.validate_rules(unsigned)
    assert any("the day they signed" in i.message for i in issues)


# --- the intermediary's signature ------------------------------------------------------------------
def test_the_intermediary_may_sign_and_is_shown(keys):
    from ecvet_credentials.i18n import Messages
    from ecvet_credentials.render.html.views import content

    agency = Institution(keys["authority"].did, "Agenzia Regionale per la Formazione", "IT")
    doc = signed_la(replace(ms.la, intermediary=agency), keys, parties=("home", "host", "learner", "guardian", "authority"))
    status = signature_status(doc)
    assert status.complete and "intermediary" in status.signed
    assert [s["role"] for s in status.to_json()["optional"] if s["signed"]] == ["intermediary"]
    page = content(Messages("en"), doc, signatures=status)
    assert 'data-role="intermediary" data-signed="yes"' in page
    # Without an intermediary in the agreement, the same key is no party.
    with pytest.raises(AgreementSigningError):
        sign_agreement(signed_la(ms.la, keys, parties=("home",)), keys["authority"])


# --- units beyond the agreement, decided one by one --------------------------------------------------
@pytest.fixture(scope="module")
def extra(keys):
    la = signed_la(ms.la, keys)
    bar = UnitOfLearningOutcomes("ENO-U4", {"en": "Bar service"}, [LearningOutcome({"en": "Prepares coffee drinks"})], 2, 4)
    model = replace(ms.pt, units=(*ms.pt.units, UnitResult(bar, 2, ms.pt.units[2].assessment)))
    return la, pt_doc(model, la)


def test_a_unit_outside_the_agreement_does_not_block_the_agreed_ones(extra, trust):
    la, pt = extra
    match = match_agreement(pt, la, trust=trust)
    assert match.matched and ("UNIT_NOT_AGREED" in {c for c, _ in match.warnings})
    rec = build_recognition(pt, la, decision_date=date(2026, 12, 12), responsible=Person("Laura Bianchi"))
    state = {u.code: (u.recognised, u.points, u.reason) for u in rec.units}
    assert [state[c][0] for c in ("ENO-U1", "ENO-U2", "ENO-U3")] == [True, True, True]
    assert state["ENO-U4"][0] is False and state["ENO-U4"][1] == 0 and "outside the Learning Agreement" in state["ENO-U4"][2]
    decided = build_recognition(pt, la, decision_date=date(2026, 12, 12), responsible=Person("Laura Bianchi"),
                                decisions={"ENO-U4": UnitDecision(recognised=True, counts_for="IeFP bar module"),
                                           "ENO-U3": UnitDecision(recognised=False, reason="already acquired at home")})
    state = {u.code: u for u in decided.units}
    assert state["ENO-U4"].recognised and state["ENO-U4"].points == 2 and state["ENO-U4"].counts_for == "IeFP bar module"
    assert not state["ENO-U3"].recognised and state["ENO-U3"].reason == "already acquired at home"
    assert decided.total_points == 4 + 3 + 2


def test_recognize_cli_decides_extra_units_one_by_one(extra, runner, tmp_path, keys):
    from ecvet_credentials.cli.main import cli

    la, pt = extra
    from ecvet_credentials.proofs import sign

    pt = sign(pt, keys["host"], created="2026-12-10T10:00:00Z")
    (tmp_path / "la.json").write_text(json.dumps(la))
    (tmp_path / "pt.json").write_text(json.dumps(pt))
    base = ["recognize", "--transcript", str(tmp_path / "pt.json"), "--agreement", str(tmp_path / "la.json"),
            "--key", str(KEYS / "home.key"), "--trust", str(KEYS / "trust-registry.json"), "--status-optional",
            "--now", "2026-12-12T10:00:00Z", "--no-registry"]
    result = runner.invoke(cli, [*base, "--recognise-unit", "ENO-U4", "--consequence", "ENO-U1=no retake",
                                 "-o", str(tmp_path / "rec.json")])
    assert result.exit_code == 0, result.output
    units = {u.code: u for u in recognition_from_credential(json.loads((tmp_path / "rec.json").read_text())).units}
    assert units["ENO-U4"].recognised and units["ENO-U1"].consequences == ("no retake",)
    assert units["ENO-U1"].validation.person.name == "Paolo Conti"
    bad = runner.invoke(cli, [*base, "--consequence", "no-equals-sign"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output
    unknown = runner.invoke(cli, [*base, "--recognise-unit", "NOPE"])
    assert unknown.exit_code == 2 and "NOPE" in unknown.output


# --- a unit matches only when it is the agreed unit ---------------------------------------------------
@pytest.mark.parametrize("changed", [
    {"title": {"en": "Preparing and cooking cold dishes"}},
    {"title": {"de": "Warme Küche"}},                            # no language in common: not the same title
    {"eqf_level": 5},
    {"eqf_level": None},
    {"outcomes": (LearningOutcome({"en": "Washes the dishes"}),)},
    {"outcomes": ms.units[0].outcomes[:4]},                     # one agreed outcome dropped
    {"ecvet_points": 5},
])
def test_same_code_other_unit_is_refused(changed):
    unit = replace(ms.pt.units[0].unit, **changed)
    awarded = unit.ecvet_points if changed.get("ecvet_points") else ms.pt.units[0].points_awarded
    model = replace(ms.pt, units=(replace(ms.pt.units[0], unit=unit, points_awarded=awarded), *ms.pt.units[1:]))
    first = match_units(model, ms.la)[0]
    assert (first.code, first.outcome, first.refused) == ("ENO-U1", "unit-changed", True)


# --- the MoU partnership on the mobility dates ---------------------------------------------------------
def _registry(partnerships):
    data = json.loads((KEYS / "trust-registry.json").read_text())
    data["partnerships"] = partnerships
    return parse_trust_registry(data)


@pytest.mark.parametrize("partnerships, code", [
    ([], "NO_PARTNERSHIP"),
    ([{"id": "urn:x:1", "members": [ms.HOST, "did:key:zOther"], "validFrom": "2026-01-01T00:00:00Z"}], "NO_PARTNERSHIP"),
    ([{"id": "urn:x:2", "members": [ms.HOST, ms.HOME], "validUntil": "2026-10-31T23:59:59Z"}], "PARTNERSHIP_NOT_VALID"),
    ([{"id": "urn:x:3", "members": [ms.HOST, ms.HOME], "validFrom": "2026-10-01T00:00:00Z"}], "PARTNERSHIP_NOT_VALID"),
    ([{"id": "urn:x:4", "members": [ms.HOST, ms.HOME], "validFrom": "2026-09-28T00:00:00Z",
       "validUntil": "2026-11-20T23:59:59Z"}], None),             # exactly the mobility: valid
])
def test_partnership_from_the_trust_registry(keys, partnerships, code):
    la = signed_la(ms.la, keys)
    match = match_agreement(pt_doc(ms.pt, la), la, trust=_registry(partnerships))
    assert (match.problems[0][0] if match.problems else None) == code


@pytest.fixture(scope="module")
def mou(keys):
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential

    doc = build_mou_credential(load(REPO / "examples" / "mou.yaml").model, valid_from="2026-01-10T00:00:00Z")
    for party in ("home", "host", "authority"):
        doc, _ = sign_agreement(doc, keys[party], created="2026-01-12T10:00:00Z")
    return doc


def test_partnership_from_the_mou_credential(keys, mou):
    la = signed_la(replace(ms.la, mou=reference_to(mou)), keys)
    assert match_agreement(pt_doc(ms.pt, la), la, mou=mou).partnership.startswith("MoU ")
    unsigned = copy.deepcopy(mou)
    unsigned["proof"] = unsigned["proof"][:2]
    assert match_agreement(pt_doc(ms.pt, la), la, mou=unsigned).problems[0][0] == "MOU_NOT_SIGNED"
    other = signed_la(replace(ms.la, mou=replace(reference_to(mou), id="urn:uuid:00000000-0000-4000-8000-000000000000")), keys)
    assert match_agreement(pt_doc(ms.pt, other), other, mou=mou).problems[0][0] == "MOU_OTHER"
    later = replace(ms.pt, start=date(2031, 1, 10), end=date(2031, 3, 6), units=tuple(
        replace(r, assessment=replace(r.assessment, date=date(2031, 3, 2))) for r in ms.pt.units))
    la_later = signed_la(replace(ms.la, start=date(2031, 1, 10), end=date(2031, 3, 6)), keys,
                         created="2026-09-15T10:00:00Z")
    assert match_agreement(pt_doc(later, la_later), la_later, mou=mou).problems[-1][0] == "PARTNERSHIP_NOT_VALID"
    nothing = match_agreement(pt_doc(ms.pt, la), la)
    assert nothing.matched and nothing.warnings[0][0] == "MOU_NOT_CHECKED"


def test_competent_authority_of_the_mou_may_recognise(keys, mou):
    from ecvet_credentials.ecvet.recognition import recognizer

    la = signed_la(ms.la, keys)
    assert recognizer(la, keys["home"].did).id == ms.HOME
    assert recognizer(la, keys["authority"].did, mou=mou).name == "Agenzia Regionale per la Formazione (EXAMPLE)"
    assert recognizer(la, keys["host"].did, mou=mou) is None   # a partner, but not a competent authority
    assert recognizer(la, keys["authority"].did) is None


# --- ECVET types always get ECVET checks; VC 1.1 dates; unique items; one time zone ------------------------
@pytest.mark.parametrize("schema", [{"id": "https://example.org/any.json", "type": "JsonSchema"},
                                    [{"id": "https://example.org/any.json", "type": "JsonSchema"}], None])
def test_an_ecvet_type_with_a_foreign_schema_gets_the_ecvet_schema(schema):
    doc = build_transcript_credential(ms.pt, valid_from="2026-12-10T10:00:00Z")
    if schema is None:
        doc.pop("credentialSchema")
    else:
        doc["credentialSchema"] = schema
    assert schemas.schema_for(doc) == "personal-transcript-v1"
    assert schemas.validate(doc)


@pytest.mark.parametrize("dates, code", [
    ({"expirationDate": "2026-11-01T00:00:00Z"}, "EXPIRED"),
    ({"issuanceDate": "2027-01-01T00:00:00Z"}, "NOT_YET_VALID"),
    ({"validUntil": "2030-01-01T00:00:00Z", "expirationDate": "2026-11-01T00:00:00Z"}, "EXPIRED"),  # the stricter
    ({"expirationDate": "soon"}, "INVALID_DATE"),
    ({"issuanceDate": "2026-01-01T00:00:00Z", "expirationDate": "2030-01-01T00:00:00Z"}, "OK"),
])
def test_vc11_dates_count_like_vc2_dates(dates, code):
    from ecvet_credentials.verify.checks_document import check_validity_period
    from ecvet_credentials.verify.context import VerifyContext, VerifyOptions
    from ecvet_credentials.verify.report import VerificationReport

    report = VerificationReport()
    ctx = VerifyContext({"validFrom": "2026-01-01T00:00:00Z", **dates},
                        VerifyOptions(now=datetime(2026, 11, 25, tzinfo=timezone.utc)))
    check_validity_period(ctx, report)
    assert report.get("validity-period").code == code


def test_list_items_that_must_be_unique_are(keys):
    twice = ms.units[0].outcomes[0]
    with pytest.raises(AuthoringError, match="outcomes"):
        replace(ms.units[0], outcomes=(twice, twice))
    with pytest.raises(AuthoringError, match="identifiers"):
        replace(ms.host, identifiers=(*ms.host.identifiers, *ms.host.identifiers))
    with pytest.raises(AuthoringError, match="assessors"):
        AssessmentArrangement([ms.tutor, ms.tutor], "week 8", ["practical"], "grid")
    doc = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    spec = doc["credentialSubject"]["hasClaim"]["influences"][0]
    spec["learningOutcome"][1]["title"] = spec["learningOutcome"][0]["title"]       # same text, other ids
    assert any(i.path.endswith("learningOutcome[1]") for i in schemas.validate(doc))
    doc = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    arrangement = doc["credentialSubject"]["hasClaim"]["assessmentArrangement"][0]
    arrangement["assessor"].append(copy.deepcopy(arrangement["assessor"][0]))        # the very same node twice
    assert schemas.validate(doc)


@pytest.mark.parametrize("valid_from, ok", [
    ("2026-09-28T23:30:00-02:00", False),   # 2026-09-29 01:30 UTC: after the start day
    ("2026-09-29T00:30:00+02:00", True),    # 2026-09-28 22:30 UTC: on the start day
])
def test_agreement_dates_are_compared_in_utc(valid_from, ok):
    doc = build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")
    doc["validFrom"] = valid_from
    issues = [i for i in schemas.validate(doc) if i.path == "$.validFrom"]
    assert (not issues) is ok


def test_a_single_assessment_wrapped_in_a_list_is_refused():
    """Found by the mutation test: [x] and x are the same RDF, so the signature cannot tell them apart;
    the schema allows a list only for two or more assessments."""
    doc = build_transcript_credential(ms.pt, valid_from="2026-12-10T10:00:00Z")
    part = doc["credentialSubject"]["hasClaim"]["hasPart"][0]
    part["provenBy"] = [part["provenBy"]]
    assert schemas.validate(doc)
    further = replace(ms.pt.units[0], further=(replace(ms.pt.units[0].assessment, method="oral"),))
    two = build_transcript_credential(replace(ms.pt, units=(further, *ms.pt.units[1:])), valid_from="2026-12-10T10:00:00Z")
    assert len(two["credentialSubject"]["hasClaim"]["hasPart"][0]["provenBy"]) == 2 and schemas.validate(two) == []
    from ecvet_credentials.model.concepts import ASSESSMENT_METHODS

    assert transcript_from_credential(two).units[0].further[0].method == ASSESSMENT_METHODS["oral"]
