"""Learning Agreement: template rules, required signers, credential round trip."""
from __future__ import annotations

import dataclasses

import pytest

from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.model import (
    AssessmentArrangement,
    LearningAgreement,
    agreement_from_credential,
    build_agreement_credential,
    from_credential,
)

from model_samples import GUARD, HOME, HOST, LEARNER, la, tutor


def _with(**changes) -> LearningAgreement:
    fields = {f.name: getattr(la, f.name) for f in dataclasses.fields(la)}
    return LearningAgreement(**{**fields, **changes})


def test_minor_learner_needs_the_guardian_to_sign():
    assert la.is_minor
    assert [(s.role, s.did) for s in la.required_signers()] == [
        ("host", HOST), ("home", HOME), ("learner", LEARNER), ("guardian", GUARD)]


def test_adult_learner_signs_alone():
    adult = dataclasses.replace(la.learner, date_of_birth="2008-09-28")  # 18 on the start date
    signers = _with(learner=adult, guardian=None).required_signers()
    assert [s.role for s in signers] == ["host", "home", "learner"]


def test_missing_guardian_for_a_minor_is_an_error():
    with pytest.raises(AuthoringError, match="^guardian: is required: the learner is 17"):
        _with(guardian=None)
    with pytest.raises(AuthoringError, match="guardian.did"):
        _with(guardian=dataclasses.replace(la.guardian, did=None))


def test_learner_did_is_required():
    with pytest.raises(AuthoringError, match="learner.did"):
        _with(learner=dataclasses.replace(la.learner, did=None))


def test_period_must_be_ordered():
    with pytest.raises(AuthoringError, match="period.end"):
        _with(start="2026-11-20", end="2026-09-28")


def test_host_and_home_differ():
    with pytest.raises(AuthoringError, match="host.id"):
        _with(host=la.home)


def test_arrangement_must_name_known_units_and_cover_all():
    with pytest.raises(AuthoringError, match=r"assessment\[0\].units\[0\]"):
        _with(assessment=[AssessmentArrangement([tutor], "end", ["practical"], "grid", units=["NOPE"])])
    with pytest.raises(AuthoringError, match="no assessment arrangement for unit.*ENO-U2"):
        _with(assessment=[AssessmentArrangement([tutor], "end", ["practical"], "grid", units=["ENO-U1", "ENO-U3"])])


def test_unknown_assessment_method_is_an_error():
    with pytest.raises(AuthoringError, match=r"methods\[0\]: unknown assessment method"):
        AssessmentArrangement([tutor], "end", ["interpretive dance"], "grid")


def test_methods_for_unit():
    assert la.methods_for("ENO-U1") == {"http://data.europa.eu/snb/assessment/6a4db9f11d",
                                         "http://data.europa.eu/snb/assessment/d30284d7df"}


def test_credential_round_trip_and_shape():
    doc = build_agreement_credential(la, valid_from="2026-09-10")
    assert doc["type"] == ["VerifiableCredential", "EcvetLearningAgreement"]
    assert doc["issuer"]["id"] == HOME and doc["validFrom"] == "2026-09-10T00:00:00Z"
    assert doc["credentialSchema"]["id"].endswith("/learning-agreement-v1.json")
    assert doc["credentialSubject"]["guardian"]["id"] == GUARD
    assert agreement_from_credential(doc) == la
    assert from_credential(doc) == la


def test_builder_rejects_bad_envelope_values():
    with pytest.raises(AuthoringError, match="credential_id"):
        build_agreement_credential(la, credential_id="urn:uuid:NOT-A-UUID")
    with pytest.raises(AuthoringError, match="valid_until"):
        build_agreement_credential(la, valid_from="2026-09-10", valid_until="2026-09-01")
