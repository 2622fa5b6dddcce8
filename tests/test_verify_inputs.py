"""Small regressions from the fuzz and mutation tests, and the duration syntax of --status-max-age."""
from __future__ import annotations

import copy
import json
from datetime import timedelta

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli
from ecvet_credentials.core.errors import SchemaError
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.core.timeutil import parse_duration
from verify_corpus import build_corpus


@pytest.fixture(scope="module")
def pt(tmp_path_factory):
    return json.loads(build_corpus(tmp_path_factory.mktemp("inputs"))["valid"].file.read_text())


@pytest.mark.parametrize("text, expected", [("7d", timedelta(days=7)), ("12h", timedelta(hours=12)), ("1d12h", timedelta(hours=36)),
                                            ("90m", timedelta(minutes=90)), ("3600s", timedelta(hours=1)), ("2W", timedelta(weeks=2))])
def test_parse_duration(text, expected):
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "7", "d7", "7 d", "-1d", "0d", "1.5d", "P7D", None, 7])
def test_parse_duration_refuses(text):
    assert parse_duration(text) is None


def test_lone_surrogate_is_unreadable_input_not_a_crash(tmp_path, monkeypatch):
    monkeypatch.setenv("ECVET_HOME", str(tmp_path))
    path = tmp_path / "s.json"
    path.write_text('{"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "id": "\\ud800"}')
    result = CliRunner().invoke(cli, ["verify", str(path), "--json"])
    assert result.exit_code == 2 and "surrogate" in result.output


@pytest.mark.parametrize("bad", ["\ud800", float("nan"), {1, 2}])
def test_library_refuses_objects_that_are_not_json(pt, bad):
    doc = copy.deepcopy(pt)
    doc["credentialSubject"]["givenName"] = bad
    report = verify_credential(doc)
    assert not report.verified and report.checks[0].id == "input" and report.checks[0].code == "NOT_JSON"
    json.dumps(report.to_json(), ensure_ascii=False).encode("utf-8")


def test_model_reader_reports_a_list_where_a_concept_iri_belongs(pt):
    from ecvet_credentials.model import transcript_from_credential

    doc = copy.deepcopy(pt)
    spec = doc["credentialSubject"]["hasClaim"]["hasPart"][0]["specifiedBy"]
    spec["creditPoint"]["framework"] = ["x"]
    with pytest.raises(SchemaError):
        transcript_from_credential(doc)
    doc = copy.deepcopy(pt)
    doc["credentialSubject"]["hasClaim"]["hasPart"][0]["specifiedBy"]["learningOutcome"][0]["dcType"] = [1]
    with pytest.raises(SchemaError):
        transcript_from_credential(doc)


def test_agreement_match_on_a_schema_invalid_transcript_or_agreement(pt, tmp_path):
    doc = copy.deepcopy(pt)
    doc["credentialSubject"]["hasClaim"]["hasPart"][0]["specifiedBy"]["creditPoint"]["framework"] = ["x"]
    report = verify_credential(doc, agreement={"type": ["VerifiableCredential"]})
    check = report.get("agreement-match")
    assert (check.outcome.value, check.code) == ("not_checked", "SCHEMA_INVALID") and check.required
    report = verify_credential(pt, agreement={"type": ["VerifiableCredential", "EcvetLearningAgreement"]})
    check = report.get("agreement-match")
    assert (check.outcome.value, check.code) == ("failed", "AGREEMENT_INVALID")
