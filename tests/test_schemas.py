"""Strict JSON Schemas (shape) and the rules JSON Schema cannot express: one rejection test per rule."""
from __future__ import annotations

import copy

import pytest

from ecvet_credentials.core.errors import SchemaError
from ecvet_credentials.model import (
    build_agreement_credential,
    build_recognition_credential,
    build_transcript_credential,
)
from ecvet_credentials.model.schemas import load_schema, validate, validate_rules, validator

from model_samples import la, pt, rec

CID = "urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f"
STATUS = [{"id": "https://status.example/lists/1#94567", "type": "BitstringStatusListEntry",
           "statusPurpose": "revocation", "statusListIndex": "94567",
           "statusListCredential": "https://status.example/lists/1"},
          {"id": "https://status.example/lists/2#5", "type": "BitstringStatusListEntry",
           "statusPurpose": "suspension", "statusListIndex": "5",
           "statusListCredential": "https://status.example/lists/2"}]
PROOF = {"type": "DataIntegrityProof", "cryptosuite": "eddsa-rdfc-2022", "created": "2026-09-10T09:00:00Z",
         "verificationMethod": "did:key:z6Mk#z6Mk", "proofPurpose": "assertionMethod", "proofValue": "z5"}


@pytest.fixture(scope="module")
def docs():
    return {
        "la": build_agreement_credential(la, credential_id=CID, valid_from="2026-09-10T09:00:00Z"),
        "pt": build_transcript_credential(pt, credential_id=CID, valid_from="2026-11-20T12:00:00Z"),
        "rec": build_recognition_credential(rec, credential_id=CID, valid_from="2026-12-10T12:00:00Z"),
    }


def issues_of(docs, kind, change):
    doc = copy.deepcopy(docs[kind])
    change(doc)
    return validate(doc)


def paths(issues):
    return [i.path for i in issues]


def claim(doc):
    return doc["credentialSubject"]["hasClaim"]


def unit(doc, i=0):
    return claim(doc)["hasPart"][i]


@pytest.mark.parametrize("kind", ["la", "pt", "rec"])
def test_built_credentials_are_valid_also_with_status_and_proofs(docs, kind):
    assert validate(docs[kind]) == []
    doc = copy.deepcopy(docs[kind])
    doc["credentialStatus"] = STATUS
    doc["proof"] = PROOF
    assert validate(doc) == []
    doc["proof"] = [PROOF, dict(PROOF, proofValue="z6")]
    doc["@context"].append("https://w3id.org/security/data-integrity/v2")
    assert validate(doc) == []


def test_validators_are_prebuilt_and_cached():
    assert validator("personal-transcript-v1") is validator("personal-transcript-v1")
    assert load_schema("EcvetRecognition")["$id"].endswith("/recognition-v1.json")
    with pytest.raises(SchemaError):
        load_schema("Diploma")


# --- shape (JSON Schema) ---------------------------------------------------------------------------
def test_unknown_top_level_property(docs):
    issues = issues_of(docs, "pt", lambda d: d.update(extra=1))
    assert issues and issues[0].path == "$" and "extra" in issues[0].message


def test_unknown_property_deep_inside(docs):
    issues = issues_of(docs, "pt", lambda d: unit(d)["specifiedBy"]["learningOutcome"][0].update(note="x"))
    assert paths(issues) == ["$.credentialSubject.hasClaim.hasPart[0].specifiedBy.learningOutcome[0]"]


def test_node_without_id_is_rejected(docs):
    issues = issues_of(docs, "pt", lambda d: unit(d, 1)["provenBy"]["grade"].pop("id"))
    assert paths(issues) == ["$.credentialSubject.hasClaim.hasPart[1].provenBy.grade"]


def test_grade_must_name_its_scheme(docs):
    def drop(d):
        unit(d)["provenBy"]["specifiedBy"].pop("gradingScheme")
    assert "gradingScheme" in issues_of(docs, "pt", drop)[0].message


def test_points_are_non_negative(docs):
    def negative(d):
        unit(d)["specifiedBy"]["creditPoint"]["point"] = "-1"
    assert issues_of(docs, "pt", negative)[0].path.endswith("creditPoint.point")


def test_points_use_the_ecvet_framework(docs):
    def ects(d):
        unit(d)["specifiedBy"]["creditPoint"]["framework"] = "http://data.europa.eu/snb/education-credit/6fcec5c5af"
    assert issues_of(docs, "pt", ects)[0].path.endswith("creditPoint.framework")


@pytest.mark.parametrize("path, value", [
    (("validFrom",), "2026-11-20"),
    (("credentialSubject", "dateOfBirth"), "14/05/2009"),
    (("credentialSubject", "dateOfBirth"), "2009-02-30"),
])
def test_date_formats(docs, path, value):
    def change(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
    assert paths(issues_of(docs, "pt", change)) == ["$." + ".".join(path)]


def test_assessment_date_format(docs):
    issues = issues_of(docs, "pt", lambda d: unit(d)["provenBy"].update(dateIssued="2026-11-16T10:00:00Z"))
    assert issues[0].path.endswith("provenBy.dateIssued")


@pytest.mark.parametrize("status, where", [
    (STATUS[0], "$.credentialStatus"),                                   # must be a list
    ([dict(STATUS[0], statusListIndex=94567)], "$.credentialStatus[0].statusListIndex"),
    ([dict(STATUS[0], statusListIndex="0042")], "$.credentialStatus[0].statusListIndex"),
    ([dict(STATUS[0], statusPurpose="refresh")], "$.credentialStatus[0].statusPurpose"),
    ([dict(STATUS[0], extra="x")], "$.credentialStatus[0]"),
    ([{k: v for k, v in STATUS[0].items() if k != "statusListCredential"}], "$.credentialStatus[0]"),
])
def test_status_entries_have_exactly_the_bitstring_shape(docs, status, where):
    assert paths(issues_of(docs, "pt", lambda d: d.update(credentialStatus=status))) == [where]


def test_proof_must_be_an_object_or_list_of_objects(docs):
    assert paths(issues_of(docs, "la", lambda d: d.update(proof="zSig"))) == ["$.proof"]


def test_contexts_are_fixed(docs):
    assert paths(issues_of(docs, "pt", lambda d: d["@context"].reverse()))[0].startswith("$.@context")
    assert issues_of(docs, "pt", lambda d: d["@context"].append("https://example.org/ctx"))


def test_type_and_schema_must_agree(docs):
    assert issues_of(docs, "pt", lambda d: d.update(type=["VerifiableCredential", "EcvetRecognition"]))
    issues = issues_of(docs, "pt", lambda d: d["credentialSchema"].update(id="https://example.org/s.json"))
    assert paths(issues) == ["$.credentialSchema.id"]  # an ECVET type always gets the ECVET schema


def test_recognition_references_need_digests(docs):
    issues = issues_of(docs, "rec", lambda d: claim(d)["basedOnTranscript"].pop("digestMultibase"))
    assert issues[0].path == "$.credentialSubject.hasClaim.basedOnTranscript"


def test_learner_and_guardian_shapes(docs):
    assert issues_of(docs, "la", lambda d: d["credentialSubject"]["guardian"].update(age=40))
    assert issues_of(docs, "la", lambda d: d["credentialSubject"].pop("dateOfBirth"))


# --- rules (second step) ---------------------------------------------------------------------------
def rule_paths(docs, kind, change):
    issues = issues_of(docs, kind, change)
    assert issues and all(i.code == "RULE_VIOLATION" for i in issues), issues
    return paths(issues)


def test_rule_agreement_in_force_by_the_start_date(docs):
    assert rule_paths(docs, "la", lambda d: d.update(validFrom="2026-09-29T00:00:00Z")) == ["$.validFrom"]


def test_rule_agreement_signed_before_the_start(docs):
    late = dict(PROOF, created="2026-10-01T10:00:00Z")
    assert rule_paths(docs, "la", lambda d: d.update(proof=[PROOF, late])) == ["$.proof[1].created"]
    assert rule_paths(docs, "la", lambda d: d.update(proof=late)) == ["$.proof.created"]
    on_start_day = dict(PROOF, created="2026-09-28T08:00:00Z")
    assert issues_of(docs, "la", lambda d: d.update(proof=on_start_day)) == []


def test_rule_period_ordered(docs):
    def swap(d):
        claim(d)["temporal"]["endDate"] = "2026-09-01"
    assert "$.credentialSubject.hasClaim.temporal.endDate" in rule_paths(docs, "la", swap)


def test_rule_minor_needs_guardian(docs):
    assert rule_paths(docs, "la", lambda d: d["credentialSubject"].pop("guardian")) == ["$.credentialSubject.guardian"]


def test_rule_home_is_the_issuer(docs):
    def other(d):
        claim(d)["homeInstitution"] = "did:key:z6MkOther"
    assert rule_paths(docs, "la", other) == ["$.credentialSubject.hasClaim.homeInstitution"]


def test_rule_arrangements_name_and_cover_units(docs):
    def narrow(d):
        claim(d)["assessmentArrangement"][0]["appliesTo"] = [CID + "#u1-spec"]
    assert rule_paths(docs, "la", narrow) == ["$.credentialSubject.hasClaim.influences[1]",
                                              "$.credentialSubject.hasClaim.influences[2]"]

    def unknown(d):
        claim(d)["assessmentArrangement"][0]["appliesTo"] = [CID + "#u1-spec", CID + "#u2-spec", CID + "#u3-spec",
                                                             CID + "#u9-spec"]
    assert "$.credentialSubject.hasClaim.assessmentArrangement[0].appliesTo[3]" in rule_paths(docs, "la", unknown)


def test_rule_assessment_inside_the_mobility(docs):
    issues = rule_paths(docs, "pt", lambda d: unit(d, 2)["provenBy"].update(dateIssued="2026-09-27"))
    assert issues == ["$.credentialSubject.hasClaim.hasPart[2].provenBy.dateIssued"]


def test_rule_assessment_not_after_issuance(docs):
    def early(d):
        d["validFrom"] = "2026-11-16T00:00:00Z"
    assert rule_paths(docs, "pt", early) == ["$.credentialSubject.hasClaim.hasPart[1].provenBy.dateIssued",
                                             "$.credentialSubject.hasClaim.hasPart[2].provenBy.dateIssued"]


def test_rule_points_received_not_above_allocated(docs):
    def more(d):
        unit(d)["creditReceived"] = {"id": CID + "#u1-cr", "type": "CreditPoint",
                                     "framework": "http://data.europa.eu/snb/education-credit/60b314e826",
                                     "point": "5"}
    assert rule_paths(docs, "pt", more) == ["$.credentialSubject.hasClaim.hasPart[0].creditReceived"]


def test_rule_not_achieved_means_no_points(docs):
    def failed(d):
        unit(d)["provenBy"]["gradeStatus"] = "https://w3id.org/ecvet-credentials/vocab#notAchieved"
    assert rule_paths(docs, "pt", failed) == ["$.credentialSubject.hasClaim.hasPart[0].creditReceived"]


def test_rule_duration_fits_the_dates(docs):
    def long(d):
        claim(d)["influencedBy"]["durationWeeks"] = 10
    assert rule_paths(docs, "pt", long) == ["$.credentialSubject.hasClaim.influencedBy.durationWeeks"]


def test_rule_host_is_the_issuer(docs):
    def other(d):
        claim(d)["influencedBy"]["directedBy"] = "did:key:z6MkOther"
    assert rule_paths(docs, "pt", other) == ["$.credentialSubject.hasClaim.influencedBy.directedBy"]


def test_rule_unit_codes_unique(docs):
    def dup(d):
        unit(d, 1)["specifiedBy"]["identifier"]["notation"] = "ENO-U1"
    assert rule_paths(docs, "pt", dup) == ["$.credentialSubject.hasClaim.hasPart[1].specifiedBy.identifier.notation"]


def test_rule_references_resolve(docs):
    def dangling(d):
        unit(d, 1)["provenBy"]["specifiedBy"] = CID + "#as9"
    assert rule_paths(docs, "pt", dangling) == ["$.credentialSubject.hasClaim.hasPart[1].provenBy.specifiedBy"]


def test_rule_valid_until_after_valid_from(docs):
    assert rule_paths(docs, "rec", lambda d: d.update(validUntil="2026-12-01T00:00:00Z")) == ["$.validUntil"]


def test_rule_recognition_total_is_the_sum(docs):
    def total(d):
        claim(d)["creditReceived"]["point"] = "11"
    assert rule_paths(docs, "rec", total) == ["$.credentialSubject.hasClaim.creditReceived.point"]


def test_rule_unrecognised_unit_has_no_points(docs):
    def unrec(d):
        unit(d)["recognised"] = False
    assert "$.credentialSubject.hasClaim.hasPart[0].creditReceived" in rule_paths(docs, "rec", unrec)


def test_rule_decision_not_after_issuance(docs):
    def later(d):
        claim(d)["awardedBy"]["awardingDate"] = "2026-12-11"
    assert rule_paths(docs, "rec", later) == ["$.credentialSubject.hasClaim.awardedBy.awardingDate"]


def test_rule_recognition_issued_by_the_deciding_body(docs):
    def other(d):
        claim(d)["awardedBy"]["awardingBody"] = "did:key:z6MkOther"
    assert rule_paths(docs, "rec", other) == ["$.credentialSubject.hasClaim.awardedBy.awardingBody"]


def test_rule_transcript_and_agreement_differ(docs):
    def same(d):
        claim(d)["basedOnAgreement"]["id"] = claim(d)["basedOnTranscript"]["id"]
    assert rule_paths(docs, "rec", same) == ["$.credentialSubject.hasClaim.basedOnAgreement.id"]


def test_validate_rules_alone_on_a_wrong_shape_does_not_raise(docs):
    doc = copy.deepcopy(docs["pt"])
    del claim(doc)["influencedBy"]
    assert validate_rules(doc)[0].path == "$"


# --- bounded explanation: a hostile body cannot make explaining its problems expensive ------------
def _many_bad_units(doc, count):
    first = claim(doc)["hasPart"][0]
    units = []
    for i in range(count):
        copy_ = copy.deepcopy(first)
        copy_["id"] = f"{first['id']}-{i}"
        copy_["extra"] = i  # an unknown property: one problem per unit
        units.append(copy_)
    claim(doc)["hasPart"] = units


def test_explanation_lists_at_most_max_issues(docs):
    from ecvet_credentials.model import schemas

    doc = copy.deepcopy(docs["pt"])
    _many_bad_units(doc, 25)
    issues = validate(doc, rules=False)
    assert len(issues) == schemas.MAX_ISSUES + 1
    assert issues[-1].message.startswith("more problems not listed")
    assert all(i.path.startswith("$.credentialSubject.hasClaim.hasPart") for i in issues[:-1])


def test_a_huge_invalid_document_is_not_explained_problem_by_problem(docs, monkeypatch):
    from ecvet_credentials.model import schemas

    doc = copy.deepcopy(docs["pt"])
    _many_bad_units(doc, 200)
    assert len(str(doc)) > schemas.EXPLAIN_MAX_CHARS
    monkeypatch.setattr(schemas, "validator", lambda stem: pytest.fail("the slow explainer ran on a huge document"))
    issues = validate(doc, rules=False)
    assert len(issues) == 1 and issues[0].path == "$" and "too large to explain" in issues[0].message
    assert validate(docs["pt"], rules=False) == []  # a valid document never needs the explainer
