"""Recognition, rule by rule: a unit not achieved abroad is never recognised (whatever the decision),
decisions one unit at a time, what each recognised unit carries over from the transcript, the default
validation, and how `recognize` turns verification reports into refusals and warnings."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

import model_samples as ms
from ecvet_credentials.core.errors import InputError
from ecvet_credentials.ecvet.recognition import (
    UnitDecision,
    _assessment_iri,
    awarding_institution,
    build_recognition,
    default_validation,
    home_institution,
    recognize,
    recognizer,
    unit_decisions,
)
from ecvet_credentials.model import (
    LearningOutcome,
    Person,
    UnitOfLearningOutcomes,
    UnitResult,
    build_agreement_credential,
    build_transcript_credential,
    reference_to,
)
from ecvet_credentials.verify.render_text import LABELS
from ecvet_credentials.verify.report import CheckResult, Outcome, VerificationReport

DAY = date(2026, 12, 12)
LAURA = Person("Laura Bianchi")


@pytest.fixture(scope="module")
def la_doc():
    return build_agreement_credential(ms.la, valid_from="2026-09-15T00:00:00Z")


def _pt(la_doc, units):
    return build_transcript_credential(replace(ms.pt, units=tuple(units), agreement=reference_to(la_doc)),
                                       valid_from="2026-12-10T10:00:00Z")


def _failed(result: UnitResult) -> UnitResult:
    return UnitResult(result.unit, 0, replace(result.assessment, passed=False, grade={"de": "5 (mangelhaft)"}))


@pytest.fixture(scope="module")
def mixed(la_doc):
    """U1 passed, U2 not achieved, U3 passed; U5 (not agreed, no points) passed."""
    extra = UnitOfLearningOutcomes("ENO-U5", {"en": "Breakfast buffet"}, [LearningOutcome({"en": "Sets up a buffet"})],
                                   None, 3)
    u1, u2, u3 = ms.pt.units
    return _pt(la_doc, [u1, _failed(u2), u3, UnitResult(extra, None, u3.assessment)])


def _units(transcript, la_doc, **kw):
    rec = build_recognition(transcript, la_doc, decision_date=DAY, responsible=LAURA, **kw)
    return {u.code: u for u in rec.units}


def test_a_unit_not_achieved_is_never_recognised(mixed, la_doc):
    units = _units(mixed, la_doc)
    u2 = units["ENO-U2"]
    assert (u2.recognised, u2.points) == (False, 0)
    assert u2.reason == "not achieved abroad (the assessment was not passed)"
    # not even by a decision: the decision's reason is kept, its consequences and equivalence are not
    decided = _units(mixed, la_doc, decisions={"ENO-U2": UnitDecision(
        recognised=True, reason="retake at home", consequences=("retake",), counts_for="Module 2")})["ENO-U2"]
    assert (decided.recognised, decided.points, decided.reason) == (False, 0, "retake at home")
    assert (decided.consequences, decided.counts_for) == ((), None)


def test_decisions_one_unit_at_a_time(mixed, la_doc):
    units = _units(mixed, la_doc, decisions={
        "ENO-U1": UnitDecision(recognised=False),
        "ENO-U3": UnitDecision(recognised=True, consequences=("no retake",), counts_for="Module 3"),
        "ENO-U5": UnitDecision(recognised=True)})
    assert (units["ENO-U1"].recognised, units["ENO-U1"].points) == (False, 0)
    assert units["ENO-U1"].reason == "not recognised by the competent institution"
    assert (units["ENO-U3"].recognised, units["ENO-U3"].points, units["ENO-U3"].reason) == (True, 3, None)
    assert (units["ENO-U3"].consequences, units["ENO-U3"].counts_for) == (("no retake",), "Module 3")
    assert (units["ENO-U5"].recognised, units["ENO-U5"].points, units["ENO-U5"].reason) == (True, None, None)
    refused = _units(mixed, la_doc, decisions={"ENO-U3": UnitDecision(
        recognised=False, consequences=("no retake",), counts_for="Module 3")})["ENO-U3"]
    assert (refused.consequences, refused.counts_for) == ((), None)


def test_a_unit_outside_the_agreement_without_points_stays_without_points(mixed, la_doc):
    u5 = _units(mixed, la_doc)["ENO-U5"]
    assert (u5.recognised, u5.points) == (False, None)
    assert u5.reason.startswith("outside the Learning Agreement")


def test_each_recognised_unit_carries_the_transcripts_unit(mixed, la_doc):
    units = _units(mixed, la_doc)
    parts = mixed["credentialSubject"]["hasClaim"]["hasPart"]
    for n, code in enumerate(("ENO-U1", "ENO-U2", "ENO-U3", "ENO-U5")):
        node = parts[n]["provenBy"]
        node = node[0] if isinstance(node, list) else node
        assert units[code].transcript_assessment == (node if isinstance(node, str) else node["id"])
    assert len({u.transcript_assessment for u in units.values()}) == 4
    assert units["ENO-U5"].eqf_level == 3 and units["ENO-U1"].eqf_level == 4
    assert units["ENO-U5"].outcomes[0].text.values == (("en", "Sets up a buffet"),)
    assert [len(units[c].outcomes) for c in ("ENO-U1", "ENO-U2", "ENO-U3")] == [5, 5, 5]


@pytest.mark.parametrize("proven_by, expected", [
    ("urn:x#a1", "urn:x#a1"),
    ({"id": "urn:x#a1", "type": "Assessment"}, "urn:x#a1"),
    (["urn:x#first", "urn:x#second"], "urn:x#first"),          # the deciding assessment comes first
    ([{"id": "urn:x#first"}, {"id": "urn:x#second"}], "urn:x#first"),
    (42, None),
])
def test_the_assessment_iri_of_a_unit(proven_by, expected):
    as_list = {"credentialSubject": {"hasClaim": {"hasPart": [{"provenBy": "urn:x#0"}, {"provenBy": proven_by}]}}}
    assert _assessment_iri(as_list, 1) == expected
    single = {"credentialSubject": {"hasClaim": {"hasPart": {"provenBy": proven_by}}}}
    assert _assessment_iri(single, 0) == expected


@pytest.mark.parametrize("transcript", [{}, {"credentialSubject": {"hasClaim": {"hasPart": []}}},
                                        {"credentialSubject": {"hasClaim": {"hasPart": [{"id": "x"}]}}}])
def test_no_assessment_iri_when_the_transcript_has_none(transcript):
    assert _assessment_iri(transcript, 0) is None


def test_default_validation_follows_the_agreements_arrangement(la_doc):
    v = default_validation(la_doc, DAY)
    first = ms.la.validation.responsible[0]
    assert (v.date, v.method, v.organisation) == (DAY, str(ms.la.validation.how), ms.home.id)
    assert (v.person.name, v.person.email, v.person.role) == (first.name, first.email, first.role)
    told = default_validation(la_doc, DAY, person=LAURA, method="class council", organisation="did:web:ministry")
    assert (told.person, told.method, told.organisation) == (LAURA, "class council", "did:web:ministry")


# --- recognize(): reports in, refusals and warnings out -------------------------------------------------------
def _report(*checks: CheckResult) -> VerificationReport:
    return VerificationReport(checks=list(checks))


def _check(id_, outcome, code="OK", message="", **details):
    return CheckResult(id_, outcome, code, message, details=details)


def _recognize(transcript, la_doc, reports, **kw):
    def verify(document, agreement):
        return reports["transcript" if agreement is not None else "agreement"]

    return recognize(transcript, la_doc, None, verify=verify, decision_date=DAY, **kw)


def test_every_failed_check_of_either_document_is_a_refusal(mixed, la_doc):
    reports = {"transcript": _report(_check("proof", Outcome.FAILED, "PROOF_INVALID", "bad signature"),
                                     _check("status", Outcome.WARNING, "STATUS_LIST_STALE", "list is old"),
                                     _check("custom-check", Outcome.FAILED, "CUSTOM", "custom failure")),
               "agreement": _report(_check("schema", Outcome.PASSED),
                                    _check("validity-period", Outcome.WARNING, "SOON", "expires soon"))}
    outcome = _recognize(mixed, la_doc, reports)
    assert outcome.refused and outcome.issued is None
    assert [(r.document, r.check, r.code, r.label, r.message) for r in outcome.refusals] == [
        ("transcript", "proof", "PROOF_INVALID", LABELS["proof"], "bad signature"),
        ("transcript", "custom-check", "CUSTOM", "custom-check", "custom failure")]  # no label: its id
    assert outcome.warnings == ["transcript: list is old", "agreement: expires soon"]


def test_an_unchecked_partnership_refuses_recognition(mixed, la_doc):
    match = _check("agreement-match", Outcome.PASSED, warnings=[
        {"code": "UNIT_NOT_AGREED", "message": "U5 is not agreed"},
        {"code": "MOU_NOT_CHECKED", "message": "no MoU to check"}])
    outcome = _recognize(mixed, la_doc, {"transcript": _report(match), "agreement": _report()})
    assert [(r.document, r.check, r.code, r.label, r.message) for r in outcome.refusals] == [
        ("transcript", "agreement-match", "MOU_NOT_CHECKED", LABELS["agreement-match"], "no MoU to check")]


def test_a_refused_recognition_does_not_judge_the_decisions(mixed, la_doc):
    """Decisions on units are looked at only once both documents verify: a refusal is the answer."""
    reports = {"transcript": _report(_check("proof", Outcome.FAILED, "PROOF_INVALID", "bad")), "agreement": _report()}
    outcome = _recognize(mixed, la_doc, reports, decisions={"NOPE": UnitDecision(recognised=True)})
    assert [r.code for r in outcome.refusals] == ["PROOF_INVALID"]


def test_a_decision_on_a_unit_the_transcript_lacks_is_a_usage_error(mixed, la_doc):
    reports = {"transcript": _report(_check("agreement-match", Outcome.PASSED)), "agreement": _report()}
    with pytest.raises(InputError) as info:
        _recognize(mixed, la_doc, reports, decisions={"NOPE": UnitDecision(recognised=True),
                                                      "ENO-U1": UnitDecision(recognised=True)})
    assert info.value.code == "UNKNOWN_UNIT" and "NOPE" in str(info.value) and "ENO-U1" not in str(info.value)


def test_a_transcript_without_units_is_refused_before_anything_is_recognised(la_doc):
    from ecvet_credentials.core.errors import SchemaError

    doc = _pt(la_doc, ms.pt.units)
    doc["credentialSubject"]["hasClaim"]["hasPart"] = []
    with pytest.raises(SchemaError, match="at least one"):
        build_recognition(doc, la_doc, decision_date=DAY, responsible=LAURA)


# --- unit_decisions(): the CLI's and the server's decisions, checked alike -------------------------------------
def test_unit_decisions_gather_each_units_decision():
    decided = unit_decisions(recognise=[" ENO-U4 "], refuse=[("ENO-U3", " already acquired ")],
                             consequences=[("ENO-U1", "no retake"), (" ENO-U1", " a shorter module "),
                                           ("ENO-U4", "bar module exempt")],
                             counts_for=[("ENO-U4", " IeFP bar module ")])
    assert decided == {"ENO-U4": UnitDecision(recognised=True, consequences=("bar module exempt",),
                                              counts_for="IeFP bar module"),
                       "ENO-U3": UnitDecision(recognised=False, reason="already acquired"),
                       "ENO-U1": UnitDecision(consequences=("no retake", "a shorter module"))}
    assert unit_decisions() == {}


@pytest.mark.parametrize("kw", [
    {"recognise": [""]}, {"recognise": ["  "]}, {"recognise": [4]}, {"recognise": [None]},
    {"refuse": [("ENO-U1", "")]}, {"refuse": [("ENO-U1", None)]}, {"refuse": [(" ", "not needed")]},
    {"consequences": [("ENO-U1", " ")]}, {"consequences": [("", "no retake")]},
    {"counts_for": [("ENO-U1", "")]}, {"counts_for": [("", "Module 1")]},
    {"recognise": ["ENO-U1"], "refuse": [(" ENO-U1 ", "not needed")]},            # both
    {"counts_for": [("ENO-U1", "Module 1"), ("ENO-U1", "Module 2")]},             # two home units
    {"refuse": [("ENO-U1", "not needed")], "consequences": [("ENO-U1", "no retake")]},
    {"refuse": [("ENO-U1", "not needed")], "counts_for": [("ENO-U1", "Module 1")]},
])
def test_unit_decisions_refuse_what_cannot_be_decided(kw):
    with pytest.raises(InputError) as info:
        unit_decisions(**kw)
    assert info.value.code == "BAD_DECISION" and "unit" in str(info.value)   # it says which decision is wrong


def test_a_refused_unit_may_be_refused_and_a_recognised_one_have_consequences():
    """The two combinations that are fine, beside the ones refused above."""
    assert unit_decisions(refuse=[("ENO-U1", "x")]) == {"ENO-U1": UnitDecision(recognised=False, reason="x")}
    assert unit_decisions(recognise=["ENO-U1"], consequences=[("ENO-U1", "c")], counts_for=[("ENO-U1", "M")]) == {
        "ENO-U1": UnitDecision(recognised=True, consequences=("c",), counts_for="M")}


# --- who may recognise ----------------------------------------------------------------------------------------
AUTHORITY = "did:key:zDnaeyhNhFpeL4bkBgrBnTtKz1VrPwj5xXwR3SPe3RA7Nbn4t"


def _trust(**changes):
    import json

    from ecvet_credentials.trust.registry import parse_trust_registry
    from verify_corpus import REPO

    data = json.loads((REPO / "keys-example" / "trust-registry.json").read_text())
    authority = next(i for i in data["institutions"] if i["did"] == AUTHORITY)
    if "roles" in changes:
        authority["roles"] = changes["roles"]
    if "country" in changes:
        authority["country"] = changes["country"]
    if "members" in changes:
        data["partnerships"][0]["members"] = changes["members"]
    return parse_trust_registry(data)


def test_a_competent_authority_of_the_trust_registry_may_recognise(la_doc):
    assert recognizer(la_doc, ms.HOME, trust=_trust()) == ms.home
    found = recognizer(la_doc, AUTHORITY, trust=_trust())
    assert (found.id, found.name, found.country) == (AUTHORITY, "Agenzia Regionale per la Formazione (EXAMPLE)", "ITA")
    assert recognizer(la_doc, AUTHORITY, trust=_trust(country="FR")).country == "FRA"
    assert recognizer(la_doc, AUTHORITY, trust=_trust(country=None)).country == ms.home.country   # the home's
    assert recognizer(la_doc, AUTHORITY, trust=_trust(country="FR", members=[AUTHORITY, ms.HOME])).country == "FRA"


@pytest.mark.parametrize("trust", [
    lambda: None,
    lambda: replace(_trust(), untrusted="the anchor's proof does not verify"),
    lambda: _trust(roles=["host"]),                                         # listed, but no competent authority
    lambda: _trust(members=[AUTHORITY, ms.HOST]),                           # not partnered with the home
    lambda: _trust(members=[ms.HOME, ms.HOST]),                             # the home's partnership, without it
])
def test_who_the_trust_registry_does_not_make_a_recognizer(la_doc, trust):
    assert recognizer(la_doc, AUTHORITY, trust=trust()) is None
    assert recognizer(la_doc, ms.HOST, trust=trust()) is None                # the host never is


def _mou():
    from ecvet_credentials.ecvet.authoring.documents import load
    from ecvet_credentials.model import build_mou_credential
    from verify_corpus import REPO

    return build_mou_credential(load(REPO / "examples" / "mou.yaml").model, valid_from="2026-01-10T00:00:00Z")


def test_awarding_institution_says_who_may_recognise(la_doc):
    assert home_institution(la_doc) == ms.HOME
    assert awarding_institution(la_doc, ms.HOME) == ms.home
    assert awarding_institution(la_doc, ms.HOME, mou={"not": "an MoU"}) == ms.home
    assert awarding_institution(la_doc, AUTHORITY, trust=_trust()).id == AUTHORITY
    assert awarding_institution(la_doc, AUTHORITY, mou=_mou()).id == AUTHORITY   # a partner of the MoU
    for mou in (None, {"not": "an MoU"}):   # an MoU that does not read names nobody
        with pytest.raises(InputError) as info:
            awarding_institution(la_doc, ms.HOST, mou=mou)
        assert info.value.code == "NOT_HOME_INSTITUTION"
        assert ms.HOST in str(info.value) and ms.HOME in str(info.value)


# --- the Recognition as a whole ---------------------------------------------------------------------------------
def test_the_recognition_names_the_learner_without_contact_details(mixed):
    from ecvet_credentials.model import Institution
    from ecvet_credentials.model.recognition import Validation

    learner = replace(ms.learner, address={"it": "Via Roma 1, Milano"}, telephone="+39 02 1234567")
    la_doc = build_agreement_credential(replace(ms.la, learner=learner), valid_from="2026-09-15T00:00:00Z")
    checked = Validation(DAY, "class council", LAURA, ms.HOME)
    rec = build_recognition(mixed, la_doc, decision_date=DAY, responsible=LAURA, validation=checked)
    assert rec.learner == replace(learner, address=None, telephone=None)
    assert (rec.home, rec.qualification, rec.decision_date, rec.responsible) == (ms.home, ms.la.qualification, DAY, LAURA)
    assert (rec.transcript, rec.agreement) == (reference_to(mixed), reference_to(la_doc))
    assert [u.validation for u in rec.units] == [checked] * 4
    assert [str(u.title) for u in rec.units] == [str(r.unit.title) for r in ms.pt.units] + ["Breakfast buffet"]
    authority = Institution(AUTHORITY, "Agenzia Regionale per la Formazione", "IT")
    assert build_recognition(mixed, la_doc, decision_date=DAY, responsible=LAURA, awarding=authority).home == authority


def test_a_decision_may_refuse_with_its_reason_and_recognise_without_one(mixed, la_doc):
    units = _units(mixed, la_doc, decisions={"ENO-U1": UnitDecision(recognised=False, reason="already acquired"),
                                             "ENO-U3": UnitDecision(consequences=("no retake",))})
    assert (units["ENO-U1"].recognised, units["ENO-U1"].reason) == (False, "already acquired")
    # no verdict on U3: agreed and achieved, it is recognised, with the decision's consequences
    assert (units["ENO-U3"].recognised, units["ENO-U3"].reason, units["ENO-U3"].consequences) == (True, None, ("no retake",))


@pytest.fixture(scope="module")
def home_key():
    from ecvet_credentials.crypto.keys import load_key_file
    from verify_corpus import REPO

    return load_key_file(REPO / "keys-example" / "home.key", passphrase=b"ecvet-example-do-not-use")


def _signed_recognition(transcript, la_doc, key, **kw):
    from datetime import datetime, timezone

    from ecvet_credentials.model import recognition_from_credential

    def verify(document, agreement):  # both verify; the transcript's agreement-match has nothing to say
        return _report(_check("agreement-match", Outcome.PASSED)) if agreement is not None else _report()

    written = []
    outcome = recognize(transcript, la_doc, key, verify=verify, decision_date=DAY,
                        issued_at=datetime(2026, 12, 12, 9, 30, 15, 123456, tzinfo=timezone.utc),
                        write=written.append, **kw)
    assert not outcome.refused and written == [outcome.issued.credential]
    return outcome.issued.credential, recognition_from_credential(outcome.issued.credential)


def test_recognize_signs_the_recognition_as_the_agreement_describes_it(mixed, home_key):
    head = Person("Laura Bianchi", "l.bianchi@ip.example", "Head teacher")
    la_doc = build_agreement_credential(replace(ms.la, recognition=replace(ms.la.recognition, responsible=(head,))),
                                        valid_from="2026-09-15T00:00:00Z")
    doc, rec = _signed_recognition(mixed, la_doc, home_key, created="2026-12-12T09:31:00Z", cryptosuite="eddsa-jcs-2022")
    assert doc["validFrom"] == "2026-12-12T09:30:15Z" and doc["issuer"]["id"] == ms.HOME
    assert (doc["proof"]["created"], doc["proof"]["cryptosuite"]) == ("2026-12-12T09:31:00Z", "eddsa-jcs-2022")
    assert "credentialStatus" not in doc   # no registry: nothing recorded, nothing to revoke
    assert rec.responsible == head                     # nobody named: the agreement's recognition arrangement
    assert {u.code: u.recognised for u in rec.units} == {"ENO-U1": True, "ENO-U2": False, "ENO-U3": True, "ENO-U5": False}
    validated = rec.units[0].validation                # and the validation as its validation arrangement says
    assert (validated.date, validated.method, validated.person.name) == (DAY, str(ms.la.validation.how),
                                                                       ms.la.validation.responsible[0].name)
    _, rec = _signed_recognition(mixed, la_doc, home_key, role="Vice principal")
    assert rec.responsible == replace(head, role="Vice principal")
    council = default_validation(la_doc, date(2026, 12, 11), method="class council of 11 December")
    _, rec = _signed_recognition(mixed, la_doc, home_key, responsible="Anna Verdi", role="Principal",
                                 decisions={"ENO-U5": UnitDecision(recognised=True)}, validation=council)
    assert rec.responsible == Person("Anna Verdi", None, "Principal")
    assert {u.code: u.recognised for u in rec.units}["ENO-U5"] is True
    assert [u.validation for u in rec.units] == [council] * 4


def test_recognize_records_one_recognition_per_transcript_with_the_reports_facts(mixed, la_doc, tmp_path):
    """With a registry: recorded under the transcript's id (once), with the facts `ecvet report` counts,
    the home school being the agreement's even when a competent authority recognises."""
    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.model import Institution
    from ecvet_credentials.registry.store import Registry
    from verify_corpus import REPO

    authority_key = load_key_file(REPO / "keys-example" / "authority.key", passphrase=b"ecvet-example-do-not-use")
    authority = Institution(AUTHORITY, "Agenzia Regionale per la Formazione", "IT")
    other = _pt(la_doc, ms.pt.units)
    with Registry.open(tmp_path / "registry.sqlite") as registry:
        kw = dict(registry=registry, status_base_url="https://authority.example/status/", awarding=authority,
                  cryptosuite="ecdsa-jcs-2019")  # (JCS: quicker than RDFC)
        first, rec = _signed_recognition(mixed, la_doc, authority_key, **kw)
        assert first["issuer"]["id"] == AUTHORITY and rec.home == authority and first["credentialStatus"]
        again = recognize(mixed, la_doc, authority_key, verify=lambda document, agreement: _report(), decision_date=DAY, **kw)
        assert again.issued.already_issued and again.issued.credential["id"] == first["id"]
        second, _ = _signed_recognition(other, la_doc, authority_key, **kw)
        assert second["id"] != first["id"]
        assert [r.credential_id for r in registry.list_credentials(batch_id="recognize")] == [first["id"], second["id"]]
        facts = registry.evaluation_facts().facts
    assert (facts[first["id"]]["home"], facts[first["id"]]["host"]) == (ms.home.name, ms.host.name)
    assert facts[first["id"]]["counts"] == {"units_validated": 4, "units_recognised": 2}
    assert facts[second["id"]]["counts"] == {"units_validated": 3, "units_recognised": 3}
