"""The learner's journey through `ecvet wallet`: the demo's three credentials imported, listed,
shown, exported as a QR code and read back, presented for a verifier's challenge and verified;
and the presentations a verifier must refuse, each by the check that catches it."""
from __future__ import annotations

import copy
import json
import os
import stat

import pytest
from click.testing import CliRunner

from ecvet_credentials.cli.main import cli

EXAMPLE_PASS = "ecvet-example-do-not-use"
LEARNER_DID = "did:key:z6Mkrm2zMFeYfgcttwRD7EYictuhHQhdTS8xPP4iDmRnd8nC"
NAMES = ["learning-agreement.json", "transcript.json", "recognition.json"]


@pytest.fixture
def runner(monkeypatch):
    monkeypatch.setenv("ECVET_PASSPHRASE", EXAMPLE_PASS)
    monkeypatch.delenv("ECVET_HOME", raising=False)
    return CliRunner()


def run(runner, home, *args):
    return runner.invoke(cli, ["--home", str(home), *map(str, args)], catch_exceptions=False)


def ids_by_type(runner, home) -> dict[str, str]:
    result = run(runner, home, "wallet", "list", "--json")
    assert result.exit_code == 0, result.output
    return {e["type"]: e["id"] for e in json.loads(result.output)}


@pytest.fixture
def filled(runner, tmp_path, demo_dir, repo_dir):
    """A wallet with the demo learner's key and the demo's three credentials (trust + status checked)."""
    home = tmp_path / "home"
    result = run(runner, home, "wallet", "init", "--import-key", repo_dir / "keys-example" / "learner.key")
    assert result.exit_code == 0 and LEARNER_DID in result.output
    learners = tmp_path / "learner-files"  # the learner's three credentials (the demo also leaves the MoU)
    learners.mkdir()
    for name in ("learning-agreement.json", "transcript.json", "recognition.json"):
        (learners / name).write_bytes((demo_dir / name).read_bytes())
    result = run(runner, home, "wallet", "import", learners, "--trust", repo_dir / "keys-example" / "trust-registry.json",
                 "--status-dir", demo_dir / "status")
    assert result.exit_code == 0, result.output
    assert result.output.count("imported") == 3
    return home


def verify_vp(runner, home, vp, *args, demo_dir, repo_dir):
    result = run(runner, home, "verify", vp, "--json", "--trust", repo_dir / "keys-example" / "trust-registry.json",
                 "--status-dir", demo_dir / "status", *args)
    return result.exit_code, json.loads(result.output)


def outcome(report, check_id):
    return next(c for c in report["checks"] if c["id"] == check_id)


def test_learner_key_is_encrypted_0600(runner, filled):
    key = filled / "wallet" / "learner.key"
    assert stat.S_IMODE(os.stat(key).st_mode) == 0o600
    assert b"ENCRYPTED" in key.read_bytes()
    result = run(runner, filled, "wallet", "init")
    assert result.exit_code == 2 and "already has a learner key" in result.output


def test_list_show_search_and_idempotent_reimport(runner, filled, demo_dir, repo_dir):
    result = run(runner, filled, "wallet", "list")
    assert result.exit_code == 0
    for word in ("Learning Agreement", "Transcript", "Recognition", "Berufskolleg Rhein-Ruhr", "ENO-U1", "VERIFIED"):
        assert word in result.output
    ids = ids_by_type(runner, filled)
    shown = run(runner, filled, "wallet", "show", ids["Transcript"]).output
    assert "ENO-U2" in shown and "HACCP" in shown and "grade:" in shown and "Points awarded: 10" in shown
    assert "Applies HACCP critical-control-point checks" in shown  # a learning outcome
    assert "Points recognised: 10" in run(runner, filled, "wallet", "show", ids["Recognition"]).output
    found = run(runner, filled, "wallet", "search", "--issuer", "rhein-ruhr")
    assert found.exit_code == 0 and "Transcript" in found.output and "Recognition" not in found.output
    assert run(runner, filled, "wallet", "search", "--unit", "NOPE-1").exit_code == 1
    again = run(runner, filled, "wallet", "import", demo_dir / "transcript.json",
                "--trust", repo_dir / "keys-example" / "trust-registry.json", "--status-dir", demo_dir / "status")
    assert again.exit_code == 0 and "already in wallet" in again.output
    assert len(ids_by_type(runner, filled)) == 3


def test_qr_export_and_reimport(runner, filled, demo_dir, tmp_path):
    ids = ids_by_type(runner, filled)
    png = tmp_path / "pt.png"
    result = run(runner, filled, "wallet", "export", ids["Transcript"], "--format", "png", "-o", png)
    assert result.exit_code == 0 and png.exists(), result.output
    other = tmp_path / "other"  # a fresh wallet: the catalogue comes from --agreement
    result = run(runner, other, "wallet", "import", png, "--agreement", demo_dir / "learning-agreement.json",
                 "--status-dir", demo_dir / "status")
    assert result.exit_code == 0 and "imported" in result.output, result.output
    assert ids_by_type(runner, other) == {"Transcript": ids["Transcript"]}  # same credential, same id
    # the original wallet holds the agreement: re-importing its own QR code is idempotent
    again = run(runner, filled, "wallet", "import", png)
    assert again.exit_code == 0 and "already in wallet" in again.output


def test_points_overview(runner, filled):
    result = run(runner, filled, "wallet", "points")
    assert result.exit_code == 0
    assert "Operatore della ristorazione: 10 ECVET points" in result.output and "17%" in result.output


def test_presentation_verifies_and_refusals_name_their_check(runner, filled, tmp_path, demo_dir, repo_dir):
    ids = list(ids_by_type(runner, filled).values())
    vp = tmp_path / "vp.json"
    result = run(runner, filled, "wallet", "present", *ids, "--challenge", "n-0451", "--domain", "employer.example", "-o", vp)
    assert result.exit_code == 0, result.output
    doc = json.loads(vp.read_text())
    assert doc["holder"] == LEARNER_DID and doc["type"] == ["VerifiablePresentation"]
    assert doc["proof"]["proofPurpose"] == "authentication" and doc["proof"]["challenge"] == "n-0451"
    kw = dict(demo_dir=demo_dir, repo_dir=repo_dir)

    code, report = verify_vp(runner, filled, vp, "--challenge", "n-0451", "--domain", "employer.example", **kw)
    assert code == 0, report
    assert outcome(report, "holder-binding")["outcome"] == "passed"
    assert len(report["credentials"]) == 3 and all(r["verified"] for r in report["credentials"])

    code, report = verify_vp(runner, filled, vp, "--challenge", "other", "--domain", "employer.example", **kw)
    assert code == 1 and outcome(report, "proof")["code"] == "CHALLENGE_MISMATCH"

    code, report = verify_vp(runner, filled, vp, "--challenge", "n-0451", "--domain", "attacker.example", **kw)
    assert code == 1 and outcome(report, "proof")["code"] == "DOMAIN_MISMATCH"

    code, report = verify_vp(runner, filled, vp, **kw)  # no challenge: replay protection refuses it
    assert code == 1 and outcome(report, "holder-binding")["code"] == "CHALLENGE_REQUIRED"

    tampered = copy.deepcopy(doc)
    tampered["verifiableCredential"][0]["validFrom"] = "2020-01-01T00:00:00Z"
    (tmp_path / "tampered.json").write_text(json.dumps(tampered))
    code, report = verify_vp(runner, filled, tmp_path / "tampered.json", "--challenge", "n-0451", **kw)
    assert code == 1 and outcome(report, "proof")["outcome"] == "failed"


def test_another_holders_key_is_refused_by_holder_binding(runner, filled, tmp_path, demo_dir, repo_dir):
    """The guardian (another person) presents the learner's credentials from their own wallet."""
    thief = tmp_path / "guardian"
    assert run(runner, thief, "wallet", "init", "--import-key", repo_dir / "keys-example" / "guardian.key").exit_code == 0
    result = run(runner, thief, "wallet", "import", demo_dir / "transcript.json")
    assert result.exit_code == 0  # kept, marked: anyone may hold a copy
    vp = tmp_path / "vp.json"
    result = run(runner, thief, "wallet", "present", ids_by_type(runner, thief)["Transcript"], "--challenge", "c1", "-o", vp)
    assert result.exit_code == 0 and "not you" in result.output
    code, report = verify_vp(runner, thief, vp, "--challenge", "c1", demo_dir=demo_dir, repo_dir=repo_dir)
    assert code == 1 and outcome(report, "holder-binding")["code"] == "HOLDER_NOT_SUBJECT"

    # the guardian claims to be the learner but can only sign with their own key
    doc = json.loads(vp.read_text())
    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.proofs import sign

    doc.pop("proof")
    doc["holder"] = LEARNER_DID
    key = load_key_file(repo_dir / "keys-example" / "guardian.key", passphrase=EXAMPLE_PASS.encode())
    (tmp_path / "forged.json").write_text(json.dumps(sign(doc, key, purpose="authentication", challenge="c1")))
    code, report = verify_vp(runner, thief, tmp_path / "forged.json", "--challenge", "c1", demo_dir=demo_dir, repo_dir=repo_dir)
    assert code == 1 and outcome(report, "holder-binding")["code"] == "HOLDER_KEY_MISMATCH"


def test_forged_credential_refused_expired_and_untrusted_kept(runner, tmp_path, demo_dir):
    home = tmp_path / "home"
    forged = json.loads((demo_dir / "transcript.json").read_text())
    forged["credentialSubject"]["givenName"] = "Mallory"
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    result = run(runner, home, "wallet", "import", tmp_path / "forged.json")
    assert result.exit_code == 1 and "refused" in result.output and "proof" in result.output
    assert ids_by_type(runner, home) == {}

    empty_registry = tmp_path / "trust.json"
    empty_registry.write_text(json.dumps({"version": 1, "name": "empty", "institutions": [], "partnerships": []}))
    result = run(runner, home, "wallet", "import", demo_dir / "recognition.json", "--trust", empty_registry,
                 "--status-dir", demo_dir / "status")
    # kept, in the same words as `ecvet verify`, the issuer's name only as a claim
    assert result.exit_code == 0 and "GENUINE SIGNATURE, ISSUER NOT RECOGNISED" in result.output
    assert 'claims to be "Istituto Professionale' in result.output
    entry = json.loads(run(runner, home, "wallet", "list", "--json").output)[0]
    assert not entry["verified"] and [m["mark"] for m in entry["marks"]] == ["issuer not recognised"]
    assert entry["verdict"] == "issuer_not_recognised"
    listed = run(runner, home, "wallet", "list").output
    assert 'claims to be "Istituto' in listed and "GENUINE SIGNATURE, ISSUER NOT RECOGNISED" in listed
    shown = run(runner, home, "wallet", "show", entry["id"]).output
    assert "At import:     GENUINE SIGNATURE, ISSUER NOT RECOGNISED" in shown and "claims to be" in shown
    points = run(runner, home, "wallet", "points")
    assert "skipped" in points.output and "issuer not recognised" in points.output


def test_expired_credential_is_kept_marked(tmp_path, demo_dir, repo_dir):
    """The host re-signs the transcript with a validUntil; checked after it, the credential is expired."""
    from datetime import datetime, timezone

    from ecvet_credentials.crypto.keys import load_key_file
    from ecvet_credentials.proofs import sign
    from ecvet_credentials.wallet import Wallet
    from ecvet_credentials.wallet.importing import import_credential

    cred = json.loads((demo_dir / "transcript.json").read_text())
    cred.pop("proof")
    cred.pop("credentialStatus")
    cred["validUntil"] = "2026-12-31T00:00:00Z"
    host = load_key_file(repo_dir / "keys-example" / "host.key", passphrase=EXAMPLE_PASS.encode())
    cred = sign(cred, host, created="2026-11-20T15:00:00Z")
    w = Wallet.open(tmp_path)
    result = import_credential(w, cred, source="pt", verify_options={"now": datetime(2031, 1, 1, tzinfo=timezone.utc)})
    assert result.refused is None and result.created
    assert "expired" in result.marks and not result.entry["verified"]
    assert [e["id"] for e in w.entries()] == [result.entry["id"]]
