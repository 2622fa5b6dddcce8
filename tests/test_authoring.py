"""Authoring files: the examples read into the model, and errors name the file, row and field."""
from __future__ import annotations

import json
from pathlib import Path

import re

import pytest
import yaml

from ecvet_credentials.ecvet.authoring import (
    iter_cohort,
    load,
    read_agreement,
    read_cohort,
    read_recognition,
    read_transcript,
)
from ecvet_credentials.core.errors import AuthoringError
from ecvet_credentials.model import (
    build_agreement_credential,
    build_recognition_credential,
    build_transcript_credential,
    digest_multibase,
)
from ecvet_credentials.model.schemas import validate

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False) if isinstance(data, dict) else data,
                    encoding="utf-8")
    return path


def _example(name: str) -> dict:
    return yaml.safe_load((EXAMPLES / name).read_text(encoding="utf-8"))


def _error(path) -> AuthoringError:
    with pytest.raises(AuthoringError) as err:
        load(path)
    return err.value


# --- the examples ------------------------------------------------------------------------------------
def test_learning_agreement_example():
    la = read_agreement(EXAMPLES / "learning-agreement.yaml")
    assert la.is_minor and la.learner.age_on(la.start) == 17
    assert [s.role for s in la.required_signers()] == ["host", "home", "learner", "guardian"]
    assert la.host.country == "DEU" and la.home.country == "ITA"
    assert [u.code for u in la.units] == ["ENO-U1", "ENO-U2", "ENO-U3"] and la.total_points == 10
    assert {lo.kind for lo in la.units[0].outcomes} == {"knowledge", "skill", "competence"}
    assert la.assessment[1].units == ("ENO-U3",) and la.qualification.title.get("it") == "Operatore della ristorazione"
    assert la.place.to_json() == {"de": "Duisburg"}


def test_transcript_example_is_a_typical_size():
    doc = load(EXAMPLES / "transcript.yaml")
    pt = doc.model
    assert len(pt.units) == 3 and sum(len(u.unit.outcomes) for u in pt.units) == 15
    assert pt.units[1].assessment.grade.to_json() == {"de": "1 (sehr gut)"} and pt.total_points == 10
    cred = build_transcript_credential(pt, valid_from=doc.valid_from)
    assert cred["validFrom"] == "2026-11-20T15:00:00Z"
    size = len(json.dumps(cred, separators=(",", ":"), ensure_ascii=False).encode())
    assert 7000 < size < 10000, size  # every node has an id (no blank nodes); see the README


@pytest.mark.parametrize("name, build", [
    ("learning-agreement.yaml", build_agreement_credential),
    ("transcript.yaml", build_transcript_credential),
    ("recognition.yaml", build_recognition_credential),
])
def test_examples_build_schema_valid_credentials(name, build):
    doc = load(EXAMPLES / name)
    assert validate(build(doc.model, valid_from=doc.valid_from)) == []


def test_json_authoring_file(tmp_path):
    path = tmp_path / "transcript.json"
    path.write_text(json.dumps(_example("transcript.yaml"), default=str), encoding="utf-8")
    assert read_transcript(path) == read_transcript(EXAMPLES / "transcript.yaml")


def test_recognition_references_an_issued_file(tmp_path):
    pt_doc = build_transcript_credential(read_transcript(EXAMPLES / "transcript.yaml"), valid_from="2026-11-20")
    (tmp_path / "pt.json").write_text(json.dumps(pt_doc), encoding="utf-8")
    data = _example("recognition.yaml")
    data["transcript"] = {"file": "pt.json"}
    rec = read_recognition(_write(tmp_path, "rec.yaml", data))
    assert rec.transcript.id == pt_doc["id"] and rec.transcript.digest_multibase == digest_multibase(pt_doc)


def test_norway_is_a_country_not_a_boolean(tmp_path):
    data = _example("learning-agreement.yaml")
    text = yaml.safe_dump(data, sort_keys=False).replace("country: DE", "country: NO")
    assert read_agreement(_write(tmp_path, "la.yaml", text)).host.country == "NOR"


# --- errors name the file and the field --------------------------------------------------------------
def test_unknown_field_is_an_error_not_ignored(tmp_path):
    data = _example("transcript.yaml")
    data["units"][1]["assessment"]["grade_scale"] = "1-6"
    err = _error(_write(tmp_path, "pt.yaml", data))
    assert str(err).startswith(f"{tmp_path / 'pt.yaml'}: units[1].assessment.grade_scale: unknown field")
    assert err.details["file"] == str(tmp_path / "pt.yaml")


def test_typo_at_top_level(tmp_path):
    data = _example("learning-agreement.yaml")
    data["learnr"] = data.pop("learner")
    assert ": learner: is required" in str(_error(_write(tmp_path, "la.yaml", data)))


@pytest.mark.parametrize("change, field", [
    (lambda d: d["units"][2]["assessment"].update(date="16.11.2026"), "units[2].assessment.date"),
    (lambda d: d["units"][0]["assessment"].update(date="2026-09-01"), "units[0].assessment.date"),
    (lambda d: d["units"][0]["assessment"].update(method="guesswork"), "units[0].assessment.method"),
    (lambda d: d["units"][0].update(ecvet_points=-2), "units[0].ecvet_points"),
    (lambda d: d["units"][0].update(points_awarded=9), "units[0].points_awarded"),
    (lambda d: d["mobility"].update(start="2026-12-01"), "mobility.end"),
    (lambda d: d["mobility"].update(type="holiday"), "mobility.type"),
    (lambda d: d["host"].update(did="https://bk.example"), "host.did"),
    (lambda d: d["learner"].pop("date_of_birth"), "learner.date_of_birth"),
    (lambda d: d.pop("grading_scheme"), "units[0].assessment.grading_scheme"),
])
def test_transcript_errors_name_the_field(tmp_path, change, field):
    data = _example("transcript.yaml")
    change(data)
    err = _error(_write(tmp_path, "pt.yaml", data))
    assert err.details["field"] == field, str(err)
    assert re.match(rf"{re.escape(str(tmp_path / 'pt.yaml'))}: (\d+ problems: )?{re.escape(field)}:", str(err)), str(err)


def test_yaml_reports_every_problem_at_once(tmp_path):
    data = _example("transcript.yaml")
    data["learner"]["date_of_birth"] = "2009-02-30"
    data["host"]["did"] = "not-a-did"
    data["units"][1]["code"] = ""
    err = _error(_write(tmp_path, "pt.yaml", data))
    fields = [p.details["field"] for p in err.details["problems"]]
    assert str(err).startswith(f"{tmp_path / 'pt.yaml'}: 3 problems: ")
    assert any(f.startswith("host") for f in fields) and any(f.startswith("learner.date_of_birth") for f in fields)
    assert any(f.startswith("units[1]") for f in fields), fields


@pytest.mark.parametrize("change, field", [
    (lambda d: d.pop("guardian"), "guardian"),
    (lambda d: d["mobility"].update(end="2026-09-01"), "mobility.end"),
    (lambda d: d["mobility"].pop("learning_activities"), "mobility.learning_activities"),
    (lambda d: d["assessment"][1].update(units=["ENO-U9"]), "assessment[1].units[0]"),
    (lambda d: d["validation"].update(responsible=[]), "validation.responsible"),
    (lambda d: d["units"][1].pop("skills") and d["units"][1].pop("knowledge") and d["units"][1].pop("competence"),
     "units[1].outcomes"),
])
def test_agreement_errors_name_the_field(tmp_path, change, field):
    data = _example("learning-agreement.yaml")
    change(data)
    assert _error(_write(tmp_path, "la.yaml", data)).details["field"] == field


def test_invalid_yaml_names_the_line(tmp_path):
    path = _write(tmp_path, "la.yaml", "document: learning-agreement\nhome: [unclosed\n")
    assert "not valid YAML (line" in str(_error(path))


def test_wrong_document_kind(tmp_path):
    with pytest.raises(AuthoringError, match="document: is 'transcript', expected 'learning-agreement'"):
        read_agreement(EXAMPLES / "transcript.yaml")
    assert "document: must be one of" in str(_error(_write(tmp_path, "x.yaml", {"document": "diploma"})))


def test_missing_file_is_an_authoring_error(tmp_path):
    assert "cannot read file" in str(_error(tmp_path / "absent.yaml"))


# --- cohort CSV --------------------------------------------------------------------------------------
def test_cohort_example():
    transcripts = read_cohort(EXAMPLES / "cohort.csv", EXAMPLES / "cohort-template.yaml")
    assert [t.learner.learner_id for t in transcripts] == ["IPL-2024-0456", "IPL-2024-0457", "IPL-2024-0458"]
    luca, sara = transcripts[1], transcripts[2]
    assert luca.units[1].assessment.method.endswith("d30284d7df") and luca.units[1].assessment.assessor.name == "Jana Schulz"
    assert not sara.units[2].assessment.passed and sara.units[2].points_awarded == 0 and sara.total_points == 7
    for t in transcripts:
        assert validate(build_transcript_credential(t, valid_from="2026-11-20T15:00:00Z")) == []


def _csv(tmp_path, rows: list[str]) -> Path:
    lines = (EXAMPLES / "cohort.csv").read_text(encoding="utf-8").splitlines()
    return _write(tmp_path, "cohort.csv", "\n".join([lines[0], *rows]) + "\n")


ROW = "IPL-1,Ana,Lima,2009-01-01,,ENO-U1,2026-11-16,2,practical,yes,,,"


@pytest.mark.parametrize("row, where", [
    (ROW.replace("ENO-U1", "ENO-U7"), "row 2: unit_code: unit 'ENO-U7' is not in the template"),
    (ROW.replace("2026-11-16", "11/10/2026"), "row 2: assessment_date: '11/10/2026' is ambiguous"),
    (ROW.replace("2026-11-16", "31.11.2026"), "row 2: assessment_date: '31.11.2026' is not a date of the calendar"),
    (ROW.replace("2026-11-16", "2026-08-16"), "row 2: assessment_date: 2026-08-16 is before"),
    (ROW.replace(",yes,", ",maybe,"), "row 2: passed: must be yes or no"),
    (ROW.replace("practical", "magic"), "row 2: method: unknown assessment method"),
    (ROW.replace(",yes,,", ",no,3,"), "row 2: points_awarded: must be 0"),
    (ROW.replace("2009-01-01", ""), "row 2: date_of_birth: is required"),
])
def test_cohort_errors_name_row_and_column(tmp_path, row, where):
    path = _csv(tmp_path, [row])
    with pytest.raises(AuthoringError) as err:
        read_cohort(path, EXAMPLES / "cohort-template.yaml")
    assert str(err.value).startswith(f"{path}, {where}"), str(err.value)


def test_cohort_unit_rule_points_at_its_row(tmp_path):
    second = ROW.replace("ENO-U1", "ENO-U2").replace("2026-11-16", "2026-08-01")
    path = _csv(tmp_path, [ROW, second])
    with pytest.raises(AuthoringError) as err:
        read_cohort(path, EXAMPLES / "cohort-template.yaml")
    assert str(err.value).startswith(f"{path}, row 3: assessment_date: 2026-08-01 is before")


def test_cohort_learner_fields_must_agree(tmp_path):
    path = _csv(tmp_path, [ROW, ROW.replace("ENO-U1", "ENO-U2").replace("Lima", "Lyma")])
    with pytest.raises(AuthoringError, match=r"row 3: family_name: differs from row 2"):
        read_cohort(path, EXAMPLES / "cohort-template.yaml")


def test_cohort_goes_on_past_a_bad_learner(tmp_path):
    bad = ROW.replace("IPL-1", "IPL-2").replace("ENO-U1", "NOPE")
    path = _csv(tmp_path, [ROW, bad, ROW.replace("IPL-1", "IPL-3")])
    entries = list(iter_cohort(path, EXAMPLES / "cohort-template.yaml"))
    assert [(e.learner_id, e.rows, e.error is None) for e in entries] == [
        ("IPL-1", (2,), True), ("IPL-2", (3,), False), ("IPL-3", (4,), True)]
    assert entries[1].error.details["row"] == 3


def test_cohort_header_problems(tmp_path):
    path = _write(tmp_path, "c.csv", "learner_id,given_name,family_name,date_of_birth,unit_code,grade,colour\n")
    with pytest.raises(AuthoringError, match=r"row 1: colour: unknown column"):
        read_cohort(path, EXAMPLES / "cohort-template.yaml")
    path = _write(tmp_path, "c.csv", "learner_id,given_name,family_name,date_of_birth,unit_code,grade\n")
    with pytest.raises(AuthoringError, match=r"row 1: assessment_date: required column is missing"):
        read_cohort(path, EXAMPLES / "cohort-template.yaml")


def test_cohort_accepts_semicolons(tmp_path):
    lines = (EXAMPLES / "cohort.csv").read_text(encoding="utf-8").splitlines()[:3]
    text = "\n".join(line.replace(",", ";") for line in lines) + "\n"
    assert len(read_cohort(_write(tmp_path, "c.csv", text), EXAMPLES / "cohort-template.yaml")) == 1
