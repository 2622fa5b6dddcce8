"""Personal Transcript: rules, credential shape (ids, shared nodes), round trip, parse errors."""
from __future__ import annotations

import copy
import dataclasses
import json

import pytest

from ecvet_credentials.core.errors import AuthoringError, SchemaError
from ecvet_credentials.model import (
    Assessment,
    UnitResult,
    build_transcript_credential,
    from_credential,
    transcript_from_credential,
)

from model_samples import pt, scheme, units

CID = "urn:uuid:3f1e6a1c-8b2d-4c55-9f00-1a2b3c4d5e6f"


@pytest.fixture(scope="module")
def doc():
    return build_transcript_credential(pt, credential_id=CID, valid_from="2026-11-20T12:00:00Z")


def _ids(value, out):
    if isinstance(value, dict):
        if "id" in value:
            out.append(value["id"])
        for k, v in value.items():
            if k != "@context":
                _ids(v, out)
    elif isinstance(value, list):
        for v in value:
            _ids(v, out)
    return out


def test_every_object_has_an_id_under_the_credential(doc):
    def walk(value, path):
        if isinstance(value, dict):
            assert "id" in value or path == "$", path
            for k, v in value.items():
                if k not in ("@context", "title", "noteLiteral", "geographicName"):  # language maps
                    walk(v, f"{path}.{k}")
        elif isinstance(value, list):
            for i, v in enumerate(value):
                walk(v, f"{path}[{i}]")
    walk(doc, "$")
    local = [i for i in _ids(doc, []) if i.startswith("urn:uuid:")]
    assert all(i == CID or i.startswith(CID + "#") for i in local)


def test_shared_nodes_are_written_once(doc):
    text = json.dumps(doc)
    assert text.count('"type": "GradingScheme"') == 1
    assert text.count('"type": "LearningAssessmentSpecification"') == 1  # 3 units, same method and scheme
    assert text.count('"name": "Klaus Weber"') == 1


def test_typical_transcript_size(doc):
    # 3 units, 15 outcomes. Ids on every node (no blank nodes) cost ~45 bytes each; see README.
    size = len(json.dumps(doc, separators=(",", ":"), ensure_ascii=False).encode())
    assert 6000 < size < 10000


def test_round_trip(doc):
    back = transcript_from_credential(doc)
    assert back.units == pt.units and back.learner == pt.learner and back.host == pt.host
    assert (back.start, back.end, back.duration_weeks, back.daily_hours, back.workload_hours) == \
        (pt.start, pt.end, 8, 7.5, 300)
    assert back.home.id == pt.home.id and back.home.country == "ITA"  # home is written without details
    assert from_credential(doc).total_points == 10


def test_points_awarded_differing_from_allocated_get_their_own_node():
    low = dataclasses.replace(pt, units=(UnitResult(units[0], 2, pt.units[0].assessment),) + pt.units[1:])
    doc = build_transcript_credential(low, credential_id=CID)
    part = doc["credentialSubject"]["hasClaim"]["hasPart"][0]
    assert part["creditReceived"]["point"] == "2"
    assert transcript_from_credential(doc).units[0].points_awarded == 2


def test_assessment_before_the_mobility_is_an_error_after_return_is_allowed():
    bad = dataclasses.replace(pt.units[0].assessment, date="2026-09-01")
    with pytest.raises(AuthoringError, match=r"^units\[0\].assessment.date: 2026-09-01 is before the mobility"):
        dataclasses.replace(pt, units=(dataclasses.replace(pt.units[0], assessment=bad),) + pt.units[1:])
    # The manual allows assessment after the learner's return: whether it was agreed is agreement-match's job.
    later = dataclasses.replace(pt.units[0].assessment, date="2026-12-01")
    made = dataclasses.replace(pt, units=(dataclasses.replace(pt.units[0], assessment=later),) + pt.units[1:])
    assert made.units[0].assessment.date.isoformat() == "2026-12-01"


def test_points_rules():
    with pytest.raises(AuthoringError, match="more than the unit's 4"):
        UnitResult(units[0], 5, pt.units[0].assessment)
    failed = dataclasses.replace(pt.units[0].assessment, passed=False)
    with pytest.raises(AuthoringError, match="must be 0"):
        UnitResult(units[0], 4, failed)
    assert UnitResult(units[0], 0, failed).points_awarded == 0


def test_grade_needs_a_scheme():
    with pytest.raises(AuthoringError, match="grading_scheme"):
        Assessment("practical", "2026-11-16", "2", None)
    assert Assessment("oral", "2026-11-16", "2", scheme).method.endswith("d30284d7df")


def test_duration_must_fit_the_dates():
    with pytest.raises(AuthoringError, match="duration_weeks"):
        dataclasses.replace(pt, duration_weeks=12)


def test_parse_errors_name_the_json_path(doc):
    broken = copy.deepcopy(doc)
    broken["credentialSubject"]["hasClaim"]["hasPart"][1]["provenBy"]["specifiedBy"] = CID + "#missing"
    with pytest.raises(SchemaError, match=r"hasPart\[1\].provenBy.specifiedBy: refers to"):
        transcript_from_credential(broken)
    broken = copy.deepcopy(doc)
    broken["credentialSubject"]["hasClaim"]["hasPart"][0]["specifiedBy"]["creditPoint"]["framework"] = \
        "http://data.europa.eu/snb/education-credit/6fcec5c5af"  # ECTS
    with pytest.raises(SchemaError, match="not the ECVET credit framework"):
        transcript_from_credential(broken)
    with pytest.raises(SchemaError, match="not an ECVET credential"):
        from_credential({"type": ["VerifiableCredential"]})
