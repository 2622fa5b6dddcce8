"""`ecvet verify DIR` and `verify_many`: the same verdicts as one-by-one verification, the agreement's
proofs verified once, a report for the registrar."""
from __future__ import annotations

import csv
import json
import shutil
import threading
from pathlib import Path

import pytest

from ecvet_credentials.verify import agreement_signatures as la_signatures
from ecvet_credentials.cli.main import cli
from ecvet_credentials.verify import verify_credential
from ecvet_credentials.verify.batch import BatchSummary, collect_inputs, verify_many
from ecvet_credentials.verify.report import Verdict

KEYS = Path(__file__).resolve().parents[1] / "keys-example"
TRUST = KEYS / "trust-registry.json"
NOW = "2026-11-30T12:00:00Z"


@pytest.fixture
def mixed(demo_dir, tmp_path, runner):
    """A folder of four: a verified transcript, a revoked recognition, a forged transcript, a file that is
    not JSON; with the issuers' status lists republished after the revocation."""
    home = tmp_path / "issuer"
    shutil.copytree(demo_dir, home)
    rec = json.loads((home / "recognition.json").read_text())
    for argv in (["status", "revoke", rec["id"], "--reason", "issued in error"],
                 ["status", "publish", "--key", KEYS / "home.key", "--out", home / "status"]):
        result = runner.invoke(cli, ["--home", str(home), *map(str, argv)])
        assert result.exit_code == 0, result.output
    folder = tmp_path / "received"
    folder.mkdir()
    shutil.copy(home / "transcript.json", folder / "a-transcript.json")
    shutil.copy(home / "recognition.json", folder / "b-recognition-revoked.json")
    forged = json.loads((home / "transcript.json").read_text())
    forged["credentialSubject"]["familyName"] = "Bianchi"
    (folder / "c-forged.json").write_text(json.dumps(forged))
    (folder / "d-notes.json").write_text("these are my notes, not a credential")
    (folder / ".hidden.json").write_text("{}")
    (folder / "readme.txt").write_text("not a credential file name")
    return {"folder": folder, "status": home / "status", "agreement": home / "learning-agreement.json"}


def _common(mixed) -> list[str]:
    return ["--trust", str(TRUST), "--agreement", str(mixed["agreement"]), "--status-dir", str(mixed["status"]), "--now", NOW]


EXPECTED = {"a-transcript.json": "verified", "b-recognition-revoked.json": "not_verified",
            "c-forged.json": "not_verified", "d-notes.json": "not_verified"}


def test_folder_gives_the_same_verdicts_as_one_by_one(mixed, runner):
    batch = runner.invoke(cli, ["verify", str(mixed["folder"]), "--json", *_common(mixed)])
    assert batch.exit_code == 1, batch.output
    lines = [json.loads(line) for line in batch.stdout.splitlines()]
    in_batch = {Path(r["file"]).name: r for r in lines}
    assert {name: r["verdict"] for name, r in in_batch.items()} == EXPECTED  # hidden and .txt files skipped

    for name in EXPECTED:
        alone = runner.invoke(cli, ["verify", str(mixed["folder"] / name), "--json", *_common(mixed)])
        report = json.loads(alone.stdout)
        # an unreadable file exits 2 alone (bad input) and is a failed input check in a batch
        assert alone.exit_code == (0 if EXPECTED[name] == "verified" else 2 if name == "d-notes.json" else 1)
        assert report.get("verdict", "not_verified") == in_batch[name]["verdict"]
        assert [(c["id"], c["outcome"], c["code"]) for c in report["checks"]] == \
               [(c["id"], c["outcome"], c["code"]) for c in in_batch[name]["checks"]]
    codes = {name: [c["code"] for c in r["checks"] if c["outcome"] == "failed"] for name, r in in_batch.items()}
    assert codes["b-recognition-revoked.json"] == ["CREDENTIAL_REVOKED"]
    assert "proof" in [c["id"] for c in in_batch["c-forged.json"]["checks"] if c["outcome"] == "failed"]
    assert codes["d-notes.json"] and in_batch["d-notes.json"]["checks"][0]["id"] == "input"


def test_text_lines_summary_and_exit_codes(mixed, runner):
    result = runner.invoke(cli, ["verify", str(mixed["folder"]), *_common(mixed)])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("VERIFIED") and lines[0].split()[1].endswith("a-transcript.json")
    assert lines[1].startswith("NOT VERIFIED") and "status: The issuer has revoked" in lines[1]
    assert lines[-1] == "4 credentials (1 verified, 3 not verified)"
    only_good = runner.invoke(cli, ["verify", str(mixed["folder"] / "a-transcript.json"),
                                    str(mixed["folder"] / "a-transcript.json"), *_common(mixed)])
    assert only_good.exit_code == 0, only_good.output
    assert only_good.stdout.splitlines()[-1] == "2 credentials (2 verified)"


def test_report_files(mixed, runner, tmp_path):
    for name in ("checked.csv", "checked.jsonl"):
        out = tmp_path / name
        result = runner.invoke(cli, ["verify", str(mixed["folder"]), "--report", str(out), *_common(mixed)])
        assert result.exit_code == 1 and f"report written to {out}" in result.stdout
        if name.endswith(".csv"):
            rows = list(csv.DictReader(out.open()))
            assert {Path(r["file"]).name: r["verdict"] for r in rows} == EXPECTED
            assert next(r for r in rows if r["file"].endswith("b-recognition-revoked.json"))["failed_checks"] == "status"
        else:
            rows = [json.loads(line) for line in out.read_text().splitlines()]
            assert {Path(r["file"]).name: r["verdict"] for r in rows} == EXPECTED
    bad = runner.invoke(cli, ["verify", str(mixed["folder"]), "--report", str(tmp_path / "checked.xlsx"), *_common(mixed)])
    assert bad.exit_code == 2 and ".csv or .jsonl" in bad.stderr and not (tmp_path / "checked.xlsx").exists()


def test_csv_cells_from_a_credential_never_start_a_formula(tmp_path):
    from ecvet_credentials.verify.batch import write_batch_report

    doc = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiableCredential"], "id": "=HYPERLINK(\"x\")"}
    results = list(verify_many([("=cmd|' /C calc'!A0", doc)]))
    write_batch_report(results, tmp_path / "r.csv")
    row = next(csv.DictReader((tmp_path / "r.csv").open()))
    assert row["file"].startswith("'=") and row["id"].startswith("'=")


def test_bad_batch_inputs_exit_2(runner, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    for argv in ([str(empty)], [str(tmp_path / "missing"), str(empty)], ["-", str(empty)]):
        result = runner.invoke(cli, ["verify", *argv])
        assert result.exit_code == 2, argv
        assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1


def test_verify_many_checks_the_agreement_proofs_once(demo_dir, monkeypatch):
    """Ten transcripts of one mobility: the LA's proofs are verified once, not ten times; a changed
    agreement (another digest) is verified again and its broken signature is seen."""
    from ecvet_credentials.trust.signing import load_trust_registry

    la_signatures._checked.clear()
    calls = []
    real = la_signatures.verify_proofs
    monkeypatch.setattr(la_signatures, "verify_proofs", lambda *a, **k: calls.append(1) or real(*a, **k))
    transcript = json.loads((demo_dir / "transcript.json").read_text())
    agreement = json.loads((demo_dir / "learning-agreement.json").read_text())
    trust = load_trust_registry(TRUST)
    items = [(f"pt-{i}", transcript) for i in range(10)]
    results = list(verify_many(items, agreement=agreement, trust=trust))
    assert len(calls) == 1
    assert all(r.report.get("agreement-match").outcome.value == "passed" for r in results)
    summary = BatchSummary()
    for r in results:
        summary.add(r)
    assert summary.verdicts[Verdict.COULD_NOT_CHECK] == 10 and not summary.all_verified  # no status source given

    changed = json.loads(json.dumps(agreement))
    changed["validFrom"] = "2026-09-11T00:00:00Z"  # schema-valid, but not what the parties signed
    report = verify_credential(transcript, agreement=changed, trust=trust)
    assert len(calls) == 2
    match = report.get("agreement-match")
    assert match.outcome.value == "failed" and "AGREEMENT_SIGNATURE_MISSING" in [p["code"] for p in match.details["problems"]]


def test_agreement_digest_is_computed_once_per_exact_content(demo_dir, monkeypatch):
    """The LA's JCS digest is remembered by its exact content: computed once for many transcripts, again
    for a change in place, and again when only a type changes (true and 1 are equal in Python, not in JSON)."""
    la_signatures._checked.clear()
    la_signatures._digests.clear()
    calls = []
    real = la_signatures.digest_multibase
    monkeypatch.setattr(la_signatures, "digest_multibase", lambda doc: calls.append(1) or real(doc))
    agreement = json.loads((demo_dir / "learning-agreement.json").read_text())
    first = la_signatures.checked_agreement(agreement)
    assert la_signatures.checked_agreement(json.loads(json.dumps(agreement))) is first
    assert len(calls) == 1 and first.digest == real(agreement)
    agreement["validFrom"] = "2026-09-11T00:00:00Z"  # changed in place: the same object, another digest
    changed = la_signatures.checked_agreement(agreement)
    assert len(calls) == 2 and changed.digest == real(agreement) != first.digest
    agreement["flag"] = True
    with_true = la_signatures._digest(agreement)
    agreement["flag"] = 1
    assert la_signatures._digest(agreement) == real(agreement) != with_true and len(calls) == 4


def test_agreement_cache_is_safe_under_concurrent_use(demo_dir):
    la_signatures._checked.clear()
    agreement = json.loads((demo_dir / "learning-agreement.json").read_text())
    seen, errors = [], []

    def work():
        try:
            for _ in range(5):
                seen.append(la_signatures.checked_agreement(agreement).signatures.complete)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors and seen == [True] * 20


def test_collect_inputs_orders_and_filters(tmp_path):
    for name in ("b.json", "a.jsonld", "c.png", "notes.txt", ".x.json"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "deep.json").write_text("{}")
    assert [p.name for p in collect_inputs([tmp_path])] == ["a.jsonld", "b.json", "c.png"]
