"""End-to-end journeys through the CLI: the demo, Learning Agreement signatures, revocation, cohorts."""
from __future__ import annotations

import csv
import json
import sqlite3

import pytest

from ecvet_credentials.cli.main import cli



def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


EXAMPLE_TRUST = ("--trust", "example")  # for tests about something else than whom to trust


def verify_json(runner, *args):
    result = run(runner, "verify", *args, "--json")
    return result.exit_code, json.loads(result.stdout)


def outcomes(report):
    return {c["id"]: c["outcome"] for c in report["checks"]}


@pytest.mark.parametrize("name", ["learning-agreement.json", "transcript.json", "recognition.json"])
def test_demo_leaves_three_credentials_that_verify(runner, demo_dir, repo_dir, name):
    code, report = verify_json(runner, demo_dir / name, "--status-dir", demo_dir / "status",
                               "--trust", repo_dir / "keys-example" / "trust-registry.json")
    assert code == 0, report
    got = outcomes(report)
    assert got["proof"] == got["issuer-binding"] == got["issuer-trusted"] == got["schema"] == "passed"
    assert got["ecvet-consistency"] == "passed"


def test_demo_transcript_matches_its_agreement_and_qr_verifies(runner, demo_dir):
    code, report = verify_json(runner, demo_dir / "transcript.json", "--agreement", demo_dir / "learning-agreement.json",
                               "--mou", demo_dir / "mou.json", "--status-dir", demo_dir / "status", *EXAMPLE_TRUST)
    assert code == 0 and outcomes(report)["agreement-match"] == "passed"
    code, report = verify_json(runner, demo_dir / "transcript-qr.png", "--agreement", demo_dir / "learning-agreement.json",
                               "--status-dir", demo_dir / "status", *EXAMPLE_TRUST)
    assert code == 0, report


def test_recognition_references_pt_and_la_by_id_and_digest(demo_dir):
    from ecvet_credentials.model import digest_multibase

    rec = json.loads((demo_dir / "recognition.json").read_text())
    pt = json.loads((demo_dir / "transcript.json").read_text())
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    text = json.dumps(rec)
    for doc in (pt, la):
        assert doc["id"] in text
        assert digest_multibase(doc) in text


def test_removing_a_party_proof_is_reported_as_a_missing_signature(runner, demo_dir, tmp_path):
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    learner_did = la["credentialSubject"]["id"]
    assert len(la["proof"]) == 4  # home, host, learner, guardian (minor)
    la["proof"] = [p for p in la["proof"] if not p["verificationMethod"].startswith(learner_did)]
    path = tmp_path / "la-without-learner.json"
    path.write_text(json.dumps(la))
    result = run(runner, "agreement", "status", path, "--json")
    assert result.exit_code == 1
    status = json.loads(result.output)
    assert status["missing"] == ["learner"]
    code, report = verify_json(runner, demo_dir / "transcript.json", "--agreement", path, "--status-dir", demo_dir / "status")
    assert code == 1
    check = next(c for c in report["checks"] if c["id"] == "agreement-match")
    assert check["outcome"] == "failed" and check["code"] == "AGREEMENT_SIGNATURE_MISSING"
    assert "learner" in check["message"]


def test_signing_twice_or_by_a_stranger_is_refused(runner, demo_dir, tmp_path, repo_dir):
    result = runner.invoke(cli, ["agreement", "sign", str(demo_dir / "learning-agreement.json"),
                                 "--key", str(repo_dir / "keys-example" / "host.key")])
    assert result.exit_code == 1 and "already signed" in result.stderr
    result = runner.invoke(cli, ["agreement", "sign", str(demo_dir / "learning-agreement.json"),
                                 "--key", str(repo_dir / "keys-example" / "authority.key")])
    assert result.exit_code == 1 and "none of the agreement's parties" in result.stderr


def test_revoke_suspend_reinstate_publish_verify(runner, tmp_path, repo_dir):
    keys = repo_dir / "keys-example"
    status_dir = tmp_path / "status"

    def issue(name):
        out = tmp_path / name
        assert run(runner, "issue", "transcript", repo_dir / "examples" / "transcript.yaml", "--key", keys / "host.key", "-o", out).exit_code == 0
        return out, json.loads(out.read_text())["id"]

    def publish():
        assert run(runner, "status", "publish", "--key", keys / "host.key", "--out", status_dir).exit_code == 0

    revoked_path, revoked_id = issue("a.json")
    suspended_path, suspended_id = issue("b.json")
    publish()
    assert verify_json(runner, revoked_path, "--status-dir", status_dir, *EXAMPLE_TRUST)[0] == 0

    assert run(runner, "status", "revoke", revoked_id, "--reason", "wrong grade", "--who", "registrar").exit_code == 0
    assert run(runner, "status", "suspend", suspended_id, "--reason", "under review", "--who", "registrar").exit_code == 0
    publish()
    code, report = verify_json(runner, revoked_path, "--status-dir", status_dir, *EXAMPLE_TRUST)
    check = next(c for c in report["checks"] if c["id"] == "status")
    assert code == 1 and check["outcome"] == "failed" and check["code"] == "CREDENTIAL_REVOKED"
    code, report = verify_json(runner, suspended_path, "--status-dir", status_dir, *EXAMPLE_TRUST)
    assert code == 1 and next(c for c in report["checks"] if c["id"] == "status")["code"] == "CREDENTIAL_SUSPENDED"

    # a revocation is final; a suspension can be lifted
    assert runner.invoke(cli, ["status", "reinstate", revoked_id, "--reason", "oops"]).exit_code == 1
    assert run(runner, "status", "reinstate", suspended_id, "--reason", "review done", "--who", "registrar").exit_code == 0
    publish()
    assert verify_json(runner, suspended_path, "--status-dir", status_dir, *EXAMPLE_TRUST)[0] == 0

    shown = json.loads(run(runner, "status", "show", suspended_id, "--json").output)
    assert [(e["action"], e["reason"]) for e in shown["audit"]] == [("suspend", "under review"), ("reinstate", "review done")]
    assert all(e["who"] == "registrar" for e in shown["audit"])


def test_missing_status_list_is_never_a_pass(runner, tmp_path, repo_dir):
    out = tmp_path / "pt.json"
    run(runner, "issue", "transcript", repo_dir / "examples" / "transcript.yaml", "--key", repo_dir / "keys-example" / "host.key", "-o", out)
    code, report = verify_json(runner, out, *EXAMPLE_TRUST)
    assert code == 1 and outcomes(report)["status"] == "not_checked" and report["verdict"] == "could_not_check"
    empty = tmp_path / "empty-status"
    empty.mkdir()
    code, report = verify_json(runner, out, "--status-dir", empty, *EXAMPLE_TRUST)
    assert code == 1 and outcomes(report)["status"] == "not_checked"
    code, report = verify_json(runner, out, "--status-optional", *EXAMPLE_TRUST)
    assert code == 0 and outcomes(report)["status"] == "not_checked"


def _write_cohort(path, n_learners, bad):
    """n learners x 2-3 units; learners in `bad` get a broken row (date outside the mobility, unknown unit...)."""
    header = ["learner_id", "given_name", "family_name", "date_of_birth", "unit_code", "assessment_date", "grade", "method", "passed"]
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for i in range(n_learners):
            lid = f"L{i:04d}"
            units = ["ENO-U1", "ENO-U2", "ENO-U3"][: 2 + i % 2]
            for j, unit in enumerate(units):
                date = "2026-11-1%d" % (2 + j)
                if i in bad and j == 0:
                    kind = bad[i]
                    if kind == "date":
                        date = "2026-08-15"  # before the mobility (after the return may be agreed)
                    elif kind == "unit":
                        unit = "NOPE-U9"
                w.writerow([lid, "Learner", f"N{i}", "2008-03-01", unit, date, "2 (gut)", "practical", "yes"])


@pytest.mark.slow
def test_cohort_of_500_issues_good_rows_exactly_once(runner, tmp_path, repo_dir):
    bad = {7: "date", 123: "unit", 499: "date"}
    csv_path = tmp_path / "cohort-500.csv"
    _write_cohort(csv_path, 500, bad)
    out = tmp_path / "out"
    args = ["issue", "transcript", "--cohort", csv_path, "--template", repo_dir / "examples" / "cohort-template.yaml",
            "--key", repo_dir / "keys-example" / "host.key", "--out-dir", out]
    first = runner.invoke(cli, [str(a) for a in args])
    assert first.exit_code == 1  # some rows failed
    rows = list(csv.DictReader(open(out / "results.csv", encoding="utf-8")))
    assert len(rows) == 500
    errors = {r["learner_id"]: r["error"] for r in rows if r["status"] == "error"}
    assert set(errors) == {"L0007", "L0123", "L0499"}
    assert "row" in errors["L0007"] and "assessment_date" in errors["L0007"]
    assert "NOPE-U9" in errors["L0123"]
    assert sum(r["status"] == "issued" for r in rows) == 497
    assert len(list(out.glob("L*.json"))) == 497

    again = runner.invoke(cli, [str(a) for a in args])
    rows2 = list(csv.DictReader(open(out / "results.csv", encoding="utf-8")))
    assert sum(r["status"] == "issued" for r in rows2) == 0
    assert sum(r["status"] == "already issued" for r in rows2) == 497
    assert "497 already issued" in again.stderr
    db = sqlite3.connect(tmp_path / "home" / "registry.sqlite")
    assert db.execute("select count(*), count(distinct credential_id) from ecvet_credentials").fetchone() == (497, 497)


def test_cohort_with_qr_codes_per_credential(runner, tmp_path, repo_dir, demo_dir):
    csv_path = tmp_path / "cohort.csv"
    _write_cohort(csv_path, 5, {})
    out = tmp_path / "out"
    result = run(runner, "issue", "transcript", "--cohort", csv_path, "--template", repo_dir / "examples" / "cohort-template.yaml",
                 "--key", repo_dir / "keys-example" / "host.key", "--out-dir", out, "--qr")
    assert result.exit_code == 0, result.output
    pngs = sorted(out.glob("L*.png"))
    assert len(pngs) >= 5
    images = sorted(out.glob("L0000*.png"))  # one code, or numbered chunks without the agreement's catalogue
    decoded = tmp_path / "decoded.json"
    assert run(runner, "qr", "decode", *images, "-o", decoded).exit_code == 0
    assert json.loads(decoded.read_text()) == json.loads((out / "L0000.json").read_text())
    code, report = verify_json(runner, decoded, "--checks", "proof")
    assert code == 0


@pytest.mark.parametrize("name", ["learning-agreement.json", "transcript.json", "recognition.json"])
def test_demo_files_verify_with_plain_ecvet_verify(runner, demo_dir, name):
    """The demo publishes its lists to DIR/status, beside the files: found without --status-dir. Without a
    registry the example institutions are not recognised (honest verdict); with the example one they are."""
    code, report = verify_json(runner, demo_dir / name)
    assert (code, report["verdict"]) == (1, "issuer_not_recognised"), report
    code, report = verify_json(runner, demo_dir / name, *EXAMPLE_TRUST)
    assert code == 0, report
    if name != "learning-agreement.json":  # the agreement carries no status entry
        assert outcomes(report)["status"] == "passed"
