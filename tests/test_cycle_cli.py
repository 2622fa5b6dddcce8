"""`ecvet mou` and `ecvet report`, and the demo's whole cycle (MoU -> ... -> evaluation report)."""
from __future__ import annotations

import csv
import io
import json
import shutil

from ecvet_credentials.cli.main import cli
from verify_corpus import REPO

KEYS = REPO / "keys-example"


def test_mou_create_sign_status(runner, tmp_path):
    out = str(tmp_path / "mou.json")
    created = runner.invoke(cli, ["mou", "create", str(REPO / "examples" / "mou.yaml"), "--key", str(KEYS / "home.key"),
                                  "-o", out, "--created", "2026-01-10T10:00:00Z"])
    assert created.exit_code == 0, created.output
    status = runner.invoke(cli, ["mou", "status", out, "--json"])
    assert status.exit_code == 1 and json.loads(status.stdout)["missing"] == ["partner 2", "partner 3"]
    for key in ("host", "authority"):
        assert runner.invoke(cli, ["mou", "sign", out, "--key", str(KEYS / f"{key}.key"), "-o", out]).exit_code == 0
    status = runner.invoke(cli, ["mou", "status", out])
    assert status.exit_code == 0 and "complete" in status.stdout and "competent-authority" in status.stdout
    again = runner.invoke(cli, ["mou", "sign", out, "--key", str(KEYS / "host.key"), "-o", out])
    stranger = runner.invoke(cli, ["mou", "sign", out, "--key", str(KEYS / "learner.key"), "-o", out])
    assert again.exit_code == 1 and stranger.exit_code == 1 and "Traceback" not in again.output + stranger.output  # refused
    verified = runner.invoke(cli, ["verify", out, "--trust", str(KEYS / "trust-registry.json")])
    assert verified.exit_code == 0, verified.output


def test_mou_refuses_a_bad_file(runner, tmp_path):
    bad = tmp_path / "mou.yaml"
    bad.write_text((REPO / "examples" / "mou.yaml").read_text().replace("roles: [host]", "roles: [landlord]"))
    result = runner.invoke(cli, ["mou", "create", str(bad)])
    assert result.exit_code == 2 and "landlord" in result.output and "Traceback" not in result.output


def test_demo_runs_the_whole_cycle(demo_dir):
    for name in ("mou.json", "learning-agreement.json", "transcript.json", "recognition.json", "evaluation.csv",
                 "evaluation.html"):
        assert (demo_dir / name).is_file(), name
    from ecvet_credentials.model import recognition_from_credential

    rec = recognition_from_credential(json.loads((demo_dir / "recognition.json").read_text()))
    assert all(u.validation is not None and u.outcomes for u in rec.units)   # validated, credit as outcomes
    assert rec.units[0].consequences and rec.units[0].counts_for
    la = json.loads((demo_dir / "learning-agreement.json").read_text())
    mou = json.loads((demo_dir / "mou.json").read_text())
    assert la["credentialSubject"]["hasClaim"]["basedOnMoU"]["id"] == mou["id"]


def test_report_counts_units_per_partnership_and_lists_outcomes_not_achieved(runner, demo_dir, tmp_path):
    from ecvet_credentials.model import transcript_from_credential

    files = tmp_path / "files"
    shutil.copytree(demo_dir, files, ignore=shutil.ignore_patterns("*.sqlite*", "cache"))
    # A second learner of the same partnership who did not achieve ENO-U2 (an unsigned copy is enough for a review).
    pt = json.loads((files / "transcript.json").read_text())
    second = json.loads(json.dumps(pt))
    second["id"] = "urn:uuid:11111111-2222-4333-8444-555555555555"
    second["credentialSubject"]["identifier"]["notation"] = "IPL-2024-0999"
    part = second["credentialSubject"]["hasClaim"]["hasPart"][1]
    (part["provenBy"][0] if isinstance(part["provenBy"], list) else part["provenBy"])["gradeStatus"] = \
        "https://w3id.org/ecvet-credentials/vocab#notAchieved"
    part["creditReceived"] = {"id": second["id"] + "#u2-cr", "type": "CreditPoint",
                              "framework": "http://data.europa.eu/snb/education-credit/60b314e826", "point": "0"}
    second.pop("proof")
    (files / "second.json").write_text(json.dumps(second))
    failed_outcome = str(transcript_from_credential(second).units[1].unit.outcomes[0].text)
    html = tmp_path / "evaluation.html"
    result = runner.invoke(cli, ["report", str(files), "--csv", str(tmp_path / "e.csv"), "--html", str(html)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO((tmp_path / "e.csv").read_text())))
    assert len(rows) == 1
    row = rows[0]
    assert (row["learners"], row["units_agreed"], row["units_assessed"], row["units_achieved"], row["units_validated"],
            row["units_recognised"]) == ("2", "3", "6", "5", "3", "3")
    page = html.read_text()
    assert "<svg" in page and "<script" not in page and failed_outcome in page
    assert f"not achieved 1x: {failed_outcome}" in result.stderr


def test_report_bad_input_is_a_clean_error(runner, tmp_path):
    result = runner.invoke(cli, ["report", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_agreement_status_shows_each_signatory_face(runner, demo_dir):
    result = runner.invoke(cli, ["agreement", "status", str(demo_dir / "learning-agreement.json")])
    assert result.exit_code == 0
    assert "(Laura Bianchi, Head teacher, Bologna)" in result.stdout
    assert "(Marco Rossi, Father (guardian), Bologna)" in result.stdout


def test_report_from_the_registry_gives_the_same_numbers_as_from_the_files(runner, demo_dir, tmp_path):
    """The demo's registry (its transcript and recognition) plus a second learner who did not achieve ENO-U2,
    issued into it: the report from the registry (with the agreement's file: agreements are not issued from a
    registry) equals the report from all the files; revoked credentials are left out; no learner number in clear."""
    import sqlite3
    from dataclasses import replace

    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.ecvet.evaluation import model_facts
    from ecvet_credentials.ecvet.issue import issue_credential
    from ecvet_credentials.model import agreement_from_credential, build_transcript_credential, transcript_from_credential
    from ecvet_credentials.registry.store import Registry

    files = tmp_path / "files"
    shutil.copytree(demo_dir, files, ignore=shutil.ignore_patterns("*.sqlite*", "cache"))
    db = tmp_path / "registry.sqlite"
    shutil.copy(demo_dir / "registry.sqlite", db)
    la = agreement_from_credential(json.loads((files / "learning-agreement.json").read_text()))
    first = transcript_from_credential(json.loads((files / "transcript.json").read_text()))
    failed = replace(first.units[1], points_awarded=0, assessment=replace(first.units[1].assessment, passed=False))
    second = replace(first, learner=replace(first.learner, learner_id="IPL-2024-0999"),
                     units=(first.units[0], failed, *first.units[2:]))
    key = load_key_file(REPO / "keys-example" / "host.key", passphrase=b"ecvet-example-do-not-use")
    with Registry.open(db) as registry:
        issued = issue_credential(build_transcript_credential(second, valid_from="2026-11-20T16:00:00Z"), key,
                                  registry=registry, status_base_url="https://bk-rhein-ruhr.example/ecvet/status",
                                  evaluation=model_facts("EcvetPersonalTranscript", second, agreement=la))
    (files / "second.json").write_text(json.dumps(issued.credential))

    from_files = runner.invoke(cli, ["report", str(files)])
    from_registry = runner.invoke(cli, ["report", "--registry", str(files / "learning-agreement.json"), "--db", str(db)])
    assert from_files.exit_code == from_registry.exit_code == 0, from_registry.output
    assert from_registry.stdout == from_files.stdout
    row = next(csv.DictReader(io.StringIO(from_registry.stdout)))
    assert (row["learners"], row["units_agreed"], row["units_assessed"], row["units_achieved"], row["units_validated"],
            row["units_recognised"]) == ("2", "3", "6", "5", "3", "3")
    not_achieved = [line for line in from_files.stderr.splitlines() if line.startswith("not achieved")]
    assert not_achieved and not_achieved == [line for line in from_registry.stderr.splitlines()
                                             if line.startswith("not achieved")]
    alone = next(csv.DictReader(io.StringIO(runner.invoke(cli, ["report", "--db", str(db)]).stdout)))
    assert (alone["units_agreed"], alone["units_assessed"]) == ("0", "6")     # no agreement file: nothing agreed

    assert runner.invoke(cli, ["status", "revoke", issued.credential["id"], "--db", str(db), "--reason", "test"]).exit_code == 0
    revoked = runner.invoke(cli, ["report", "--db", str(db)])
    assert next(csv.DictReader(io.StringIO(revoked.stdout)))["units_assessed"] == "3" and "1 revoked" in revoked.stderr
    with sqlite3.connect(db) as conn:
        stored = " ".join(f for (f,) in conn.execute("SELECT facts FROM ecvet_evaluation_facts"))
    assert "IPL-2024" not in stored and '"learner":"' in stored
