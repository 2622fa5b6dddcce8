"""The fixture corpus (tests/verify_corpus.py) through `ecvet verify --json`: each case fails exactly
the expected checks with the expected codes and exit code; the valid ones fail none."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli
from verify_corpus import build_corpus

CASES = [
    "valid", "tampered-value", "tampered-added-term", "wrong-key", "untrusted-issuer", "expired", "not-yet-valid",
    "revoked", "suspended", "stale-status-list", "stale-status-list-within-max-age", "unit-not-agreed",
    "unit-changed-title", "unit-changed-level", "unit-changed-outcomes", "points-exceeded", "dates-outside-period", "LA-missing-learner-signature", "other-learner",
    "rotated-key-old-credential", "rotated-key-after-revocation", "rotated-key-new-key",
]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("fixtures") / "verify")


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "home"))
    return CliRunner()


def test_corpus_has_every_case(corpus):
    assert sorted(corpus) == sorted(CASES)


@pytest.mark.parametrize("name", CASES)
def test_case_fails_exactly_the_expected_checks(runner, corpus, name):
    case = corpus[name]
    result = runner.invoke(cli, ["verify", str(case.file), "--json", *case.args], catch_exceptions=False)
    report = json.loads(result.output)
    failed = [c["id"] for c in report["checks"] if c.get("required", True) and c["outcome"] not in ("passed", "warning")]
    assert (result.exit_code, failed) == (case.exit_code, list(case.failed)), json.dumps(report["checks"], indent=1)
    assert report["verified"] is (case.exit_code == 0)
    by_id = {c["id"]: c for c in report["checks"]}
    for check_id, code in case.codes.items():
        assert by_id[check_id]["code"] == code, by_id[check_id]
    for check_id in case.failed:  # a failure always says something a person can act on
        assert len(by_id[check_id]["message"]) > 20


def test_valid_case_checks_everything_it_can(runner, corpus):
    case = corpus["valid"]
    report = json.loads(runner.invoke(cli, ["verify", str(case.file), "--json", *case.args]).output)
    assert {c["id"]: c["outcome"] for c in report["checks"]} == {
        "input": "passed", "contexts": "passed", "schema": "passed", "proof": "passed", "issuer-binding": "passed",
        "issuer-trusted": "passed", "validity-period": "passed", "status": "passed", "ecvet-consistency": "passed",
        "agreement-match": "passed", "holder-binding": "not_checked"}


def test_expired_list_is_could_not_check_even_within_max_age(runner, corpus):
    case = corpus["stale-status-list-within-max-age"]
    result = runner.invoke(cli, ["verify", str(case.file), "--json", *case.args])
    report = json.loads(result.output)
    status = next(c for c in report["checks"] if c["id"] == "status")
    assert result.exit_code == 1 and (status["outcome"], status["code"]) == ("not_checked", "STATUS_LIST_EXPIRED")
    assert "expired" in status["message"] and report["verdict"] == "could_not_check"
    # without a max-age policy too; only an explicit opt-out lets it through, and it is reported, not hidden
    base = [a for a in case.args if a not in ("--status-max-age", "30d")]
    assert runner.invoke(cli, ["verify", str(case.file), "--json", *base]).exit_code == 1
    optional = runner.invoke(cli, ["verify", str(case.file), "--json", *base, "--status-optional"])
    assert optional.exit_code == 0
    status = next(c for c in json.loads(optional.output)["checks"] if c["id"] == "status")
    assert (status["outcome"], status["code"]) == ("not_checked", "STATUS_LIST_EXPIRED")


def test_fresh_list_older_than_max_age_is_not_checked(runner, corpus):
    # the regular lists are valid until 2026-11-28 (not stale), but 4.5 days old at --now
    case = corpus["valid"]
    result = runner.invoke(cli, ["verify", str(case.file), "--json", *case.args, "--status-max-age", "1d"])
    status = next(c for c in json.loads(result.output)["checks"] if c["id"] == "status")
    assert result.exit_code == 1 and (status["outcome"], status["code"]) == ("not_checked", "STATUS_LIST_TOO_OLD")
    assert runner.invoke(cli, ["verify", str(case.file), *case.args, "--status-max-age", "5d"]).exit_code == 0


@pytest.mark.parametrize("bad", ["7", "7 days", "-1d", "0s", "d", ""])
def test_status_max_age_must_be_a_duration(runner, corpus, bad):
    case = corpus["valid"]
    result = runner.invoke(cli, ["verify", str(case.file), "--status-max-age", bad])
    assert result.exit_code == 2 and "duration" in result.output
