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
