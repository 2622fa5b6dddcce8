"""CLI contract (DESIGN section 9) for the foundation: keys, sign, verify, exit codes, W3C vectors."""
from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys

import pytest
from click.testing import CliRunner

from ecvet_credentials import __version__
from ecvet_credentials.cli.main import cli

from vectors import SUITE_IDS, SUITES, vector_case

PASS = "correct horse battery staple"


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("ECVET_PASSPHRASE", PASS)
    monkeypatch.setenv("ECVET_HOME", str(tmp_path / "home"))
    return CliRunner()


def run(runner, *args):
    return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_version(runner):
    result = run(runner, "--version")
    assert result.exit_code == 0
    assert __version__ in result.output


@pytest.mark.parametrize("command", [[], ["keys"], ["keys", "generate"], ["sign"], ["verify"], ["demo"], ["keys", "did-web"]])
@pytest.mark.parametrize("flag", ["-h", "--help"])
def test_every_command_has_help(runner, command, flag):
    result = run(runner, *command, flag)
    assert result.exit_code == 0
    assert "Usage:" in result.output
    assert len(result.output.splitlines()) > 4


def test_keys_generate_writes_encrypted_key_with_mode_0600(runner, tmp_path):
    out = tmp_path / "host.key"
    result = run(runner, "keys", "generate", "--type", "p256", "--out", out)
    assert result.exit_code == 0, result.output
    assert "did:key:zDna" in result.output
    assert "#zDna" in result.output
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o600
    text = out.read_text()
    assert "ENCRYPTED PRIVATE KEY" in text
    # refuses to overwrite by default: nothing lost
    again = runner.invoke(cli, ["keys", "generate", "--out", str(out)])
    assert again.exit_code != 0


def test_keys_generate_without_passphrase_is_a_clear_error(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ECVET_PASSPHRASE"}
    proc = subprocess.run([sys.executable, "-m", "ecvet_credentials.cli.main", "keys", "generate", "--out", str(tmp_path / "k")],
                          capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL)
    assert proc.returncode == 2
    assert "ECVET_PASSPHRASE" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("index", range(len(SUITES)), ids=SUITE_IDS)
def test_sign_reproduces_w3c_vector_and_verifies(runner, shared_dir, tmp_path, index):
    case = vector_case(shared_dir, index)
    config = json.loads(case.proof_config.read_text())
    expected = json.loads(case.signed.read_text())
    out = tmp_path / "signed.json"
    result = run(runner, "sign", case.unsigned, "--key", case.key_file, "--cryptosuite", case.cryptosuite,
                 "--created", config["created"], "--verification-method", config["verificationMethod"], "-o", out)
    assert result.exit_code == 0, result.output
    signed = json.loads(out.read_text())
    assert signed["proof"]["proofValue"] == expected["proof"]["proofValue"]
    assert signed == expected
    verified = run(runner, "verify", case.signed, "--checks", "proof", "--json")
    report = json.loads(verified.output)
    assert verified.exit_code == 0, verified.output
    assert report["verified"] is True
    assert {c["id"]: c["outcome"] for c in report["checks"]}["proof"] == "passed"


@pytest.fixture
def eddsa_signed(shared_dir):
    return json.loads(vector_case(shared_dir, 0).signed.read_text())


@pytest.fixture
def own_signed(runner, tmp_path):
    """A credential signed by our own key, using only the VC v2 context (no @vocab: strictness applies)."""
    key = tmp_path / "issuer.key"
    out = run(runner, "keys", "generate", "--out", key, "--json")
    did = json.loads(out.output)["did"]
    doc = {
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "id": "urn:uuid:6a1c3a55-2f0e-4a9f-8b8f-0c2d3e4f5a6b",
        "type": ["VerifiableCredential"],
        "issuer": {"id": did, "name": "Berufskolleg Beispielstadt"},
        "validFrom": "2026-06-30T00:00:00Z",
        "credentialSubject": {"id": "urn:uuid:8d2f7a61-3b4c-4d5e-9f60-718293a4b5c6", "name": "Giulia Rossi",
                               "description": "Mechatronics unit 1"},
    }
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(doc))
    signed_path = tmp_path / "own-signed.json"
    assert run(runner, "sign", unsigned, "--key", key, "-o", signed_path).exit_code == 0
    return json.loads(signed_path.read_text())


def verify_doc(runner, tmp_path, doc, *extra):
    path = tmp_path / "candidate.json"
    path.write_text(json.dumps(doc))
    result = run(runner, "verify", path, "--json", *extra)
    return result.exit_code, json.loads(result.stdout)


def failed_ids(report):
    return [c["id"] for c in report["checks"] if c["outcome"] == "failed"]


def test_own_credential_verifies_with_all_checks(runner, tmp_path, own_signed):
    # a genuine signature by a key nobody vouches for is not "verified"...
    code, report = verify_doc(runner, tmp_path, own_signed)
    assert (code, report["verdict"]) == (1, "issuer_not_recognised"), report
    # ...it is once a registry the verifier uses lists the issuer
    registry = tmp_path / "registry.json"
    run(runner, "trust", "init", registry, "--name", "Test registry")
    run(runner, "trust", "add", registry, own_signed["issuer"]["id"], "--name", "Berufskolleg Beispielstadt",
        "--role", "host")
    code, report = verify_doc(runner, tmp_path, own_signed, "--trust", registry)
    assert (code, report["verdict"]) == (0, "verified"), report
    outcomes = {c["id"]: c["outcome"] for c in report["checks"]}
    assert outcomes["proof"] == "passed"
    assert outcomes["issuer-binding"] == "passed"
    assert outcomes["validity-period"] == "passed"


TAMPERINGS = {
    "changed-value": lambda d: d["credentialSubject"].__setitem__("name", "Mallory"),
    "added-undefined-subject-property": lambda d: d["credentialSubject"].__setitem__("fakeGrade", "A"),
    "added-undefined-nested-property": lambda d: d["issuer"].__setitem__("fakeAccreditation", "yes"),
    "added-undefined-proof-property": lambda d: d["proof"].__setitem__("fakeExpires", "2099-01-01T00:00:00Z"),
    "undefined-type": lambda d: d["type"].append("FakeType"),
    "key-written-as-full-iri": lambda d: d["credentialSubject"].__setitem__(
        "https://schema.org/name", d["credentialSubject"].pop("name")),
    "removed-proof": lambda d: d.pop("proof"),
}


@pytest.mark.parametrize("name", sorted(TAMPERINGS))
def test_tampering_is_caught(runner, tmp_path, own_signed, name):
    doc = copy.deepcopy(own_signed)
    TAMPERINGS[name](doc)
    code, report = verify_doc(runner, tmp_path, doc)
    assert code == 1, report
    assert report["verified"] is False
    assert "proof" in failed_ids(report), report


def test_proof_by_another_key_fails_issuer_binding(runner, tmp_path, own_signed):
    other = tmp_path / "other.key"
    run(runner, "keys", "generate", "--out", other)
    doc = copy.deepcopy(own_signed)
    doc.pop("proof")
    unsigned = tmp_path / "u.json"
    unsigned.write_text(json.dumps(doc))
    forged = tmp_path / "forged.json"
    assert run(runner, "sign", unsigned, "--key", other, "-o", forged).exit_code == 0
    code, report = verify_doc(runner, tmp_path, json.loads(forged.read_text()))
    assert code == 1
    assert failed_ids(report) == ["issuer-binding"]


def test_proof_of_another_document_fails(runner, tmp_path, own_signed, eddsa_signed):
    doc = copy.deepcopy(own_signed)
    doc["proof"] = eddsa_signed["proof"]
    code, report = verify_doc(runner, tmp_path, doc, "--checks", "proof")
    assert code == 1
    assert failed_ids(report) == ["proof"]


BAD_INPUTS = {
    "not-json": b"this is not json {",
    "json-array": b"[1, 2, 3]",
    "binary": bytes(range(256)) * 4,
    "deep-nesting": b"[" * 200_000 + b"]" * 200_000,
    "unknown-context": json.dumps({"@context": ["https://www.w3.org/ns/credentials/v2", "https://evil.example/ctx"],
                                   "type": ["VerifiableCredential"]}).encode(),
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_exits_2_with_one_sentence(tmp_path, name):
    path = tmp_path / f"{name}.json"
    path.write_bytes(BAD_INPUTS[name])
    proc = subprocess.run([sys.executable, "-m", "ecvet_credentials.cli.main", "verify", str(path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), proc.stderr


@pytest.mark.slow
def test_fifty_megabytes_of_nesting_exits_2_quickly(tmp_path):
    path = tmp_path / "huge.json"
    with open(path, "wb") as fh:
        fh.write(b"[" * (25 * 1024 * 1024) + b"]" * (25 * 1024 * 1024))
    proc = subprocess.run([sys.executable, "-m", "ecvet_credentials.cli.main", "verify", str(path)],
                          capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=60)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert proc.stderr.startswith("error: ")
