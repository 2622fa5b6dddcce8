"""`ecvet recognize`: issue the Recognition credential only for a transcript that fully verifies against
its Learning Agreement; otherwise refuse (exit 1) with the failed checks in plain words."""
from __future__ import annotations

import json

import pytest

from ecvet_credentials.cli.main import cli
from verify_corpus import NOW, REPO, build_corpus

KEYS = REPO / "keys-example"
HOME_DID = "did:key:z6Mku5cfw33qTV17B5KBzNGn6RpcqYABjLFzviZr2Bre6omS"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return build_corpus(tmp_path_factory.mktemp("recognize-corpus"))


def recognize(runner, case, *extra, key="home.key"):
    args = case.args
    agreement = args[args.index("--agreement") + 1]
    status = args[args.index("--status-dir") + 1]
    argv = ["recognize", "--transcript", str(case.file), "--agreement", agreement, "--key", str(KEYS / key),
            "--trust", str(KEYS / "trust-registry.json"), "--status-dir", status, "--now", NOW, *extra]
    return runner.invoke(cli, [str(a) for a in argv], catch_exceptions=False)


def test_recognizes_a_valid_transcript_referencing_pt_and_la(runner, corpus, tmp_path):
    from ecvet_credentials.model import digest_multibase, recognition_from_credential

    out = tmp_path / "recognition.json"
    result = recognize(runner, corpus["valid"], "--responsible", "Laura Bianchi", "--role", "Head teacher",
                       "--decision-date", "2026-11-24", "--no-registry", "-o", out)
    assert result.exit_code == 0, result.output
    assert "recognised" in result.stderr
    rec = json.loads(out.read_text())
    pt = json.loads(corpus["valid"].file.read_text())
    la = json.loads((corpus["valid"].file.parent / "agreement.json").read_text())
    model = recognition_from_credential(rec)
    assert (model.transcript.id, model.transcript.digest_multibase) == (pt["id"], digest_multibase(pt))
    assert (model.agreement.id, model.agreement.digest_multibase) == (la["id"], digest_multibase(la))
    assert [u.code for u in model.units] == ["ENO-U1", "ENO-U2", "ENO-U3"] and model.total_points == 10
    assert (model.responsible.name, model.responsible.role, str(model.decision_date)) == ("Laura Bianchi", "Head teacher", "2026-11-24")
    assert rec["issuer"]["id"] == HOME_DID
    verified = runner.invoke(cli, ["verify", str(out), "--json", "--now", NOW, "--trust", str(KEYS / "trust-registry.json")])
    assert verified.exit_code == 0, verified.output


@pytest.mark.parametrize("name, check, code", [
    ("points-exceeded", "agreement-match", "UNIT_CHANGED"),
    ("unit-changed-title", "agreement-match", "UNIT_CHANGED"),
    ("LA-missing-learner-signature", "agreement-match", "AGREEMENT_SIGNATURE_MISSING"),
    ("revoked", "status", "CREDENTIAL_REVOKED"),
    ("tampered-value", "proof", "INVALID_SIGNATURE"),
    ("expired", "validity-period", "EXPIRED"),
])
def test_refuses_with_the_reasons(runner, corpus, tmp_path, name, check, code):
    out = tmp_path / "recognition.json"
    result = recognize(runner, corpus[name], "-o", out)
    assert result.exit_code == 1
    assert "Refused" in result.stderr and f"[{check}, {code}]" in result.stderr
    assert not out.exists()


def test_the_agreement_itself_is_verified(runner, corpus, tmp_path):
    """A transcript can only be as good as its agreement: a tampered LA is refused (its proofs fail)."""
    case = corpus["valid"]
    la = json.loads((case.file.parent / "agreement.json").read_text())
    la["credentialSubject"]["hasClaim"]["id"] = la["credentialSubject"]["hasClaim"]["id"] + "x"
    bad = tmp_path / "la.json"
    bad.write_text(json.dumps(la))
    argv = ["recognize", "--transcript", case.file, "--agreement", bad, "--key", KEYS / "home.key", "--trust",
            KEYS / "trust-registry.json", "--status-dir", case.args[case.args.index("--status-dir") + 1], "--now", NOW]
    result = runner.invoke(cli, [str(a) for a in argv])
    assert result.exit_code == 1
    assert "agreement: Signature [proof" in result.stderr


def test_status_required_unless_optional(runner, corpus, tmp_path):
    case = corpus["valid"]
    agreement = case.args[case.args.index("--agreement") + 1]
    lone = tmp_path / "pt.json"  # away from the status/ folder beside the corpus files
    lone.write_bytes(case.file.read_bytes())
    base = ["recognize", "--transcript", str(lone), "--agreement", agreement, "--key", str(KEYS / "home.key"),
            "--trust", "example", "--now", NOW, "--no-registry", "-o", str(tmp_path / "r.json")]
    result = runner.invoke(cli, base)
    # no status folder, and the example registry lists no place to fetch the host's lists from: nothing requested
    assert result.exit_code == 1 and "[status, STATUS_FETCH_REFUSED]" in result.stderr
    # with status optional, the MoU partnership comes from the example registry's partnerships
    trusted = runner.invoke(cli, [*base, "--status-optional"])
    assert trusted.exit_code == 0, trusted.output
    # without a registry (nor --mou) no partnership can be established: recognition refuses
    no_trust = [a for a in base if a not in ("--trust", "example")]
    no_mou = runner.invoke(cli, [*no_trust, "--status-optional"])
    assert no_mou.exit_code == 1 and "[agreement-match, MOU_NOT_CHECKED]" in no_mou.stderr


def test_registry_records_one_recognition_per_transcript(runner, corpus, tmp_path):
    first = recognize(runner, corpus["valid"], "-o", tmp_path / "a.json")
    assert first.exit_code == 0, first.output
    rec = json.loads((tmp_path / "a.json").read_text())
    assert rec["credentialStatus"]  # recorded: it can be revoked
    again = recognize(runner, corpus["valid"], "-o", tmp_path / "b.json")
    assert again.exit_code == 0 and "already recognised" in again.stderr and rec["id"] in again.stderr
    assert not (tmp_path / "b.json").exists()


def test_bad_inputs_exit_2(runner, corpus, tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("{not json")
    case = corpus["valid"]
    assert recognize(runner, case, "--no-registry", key="host.key").exit_code == 2  # not the home institution's key
    for transcript in (junk, tmp_path / "missing.json"):
        result = runner.invoke(cli, ["recognize", "--transcript", str(transcript), "--agreement", str(case.file),
                                     "--key", str(KEYS / "home.key")])
        assert result.exit_code == 2 and "Traceback" not in result.output
    result = runner.invoke(cli, ["recognize", "--transcript", str(case.file), "--agreement", str(junk), "--key", str(KEYS / "home.key")])
    assert result.exit_code == 2


def test_help_has_an_example(runner):
    result = runner.invoke(cli, ["recognize", "--help"])
    assert result.exit_code == 0 and "Example:" in result.output and "--transcript" in result.output
