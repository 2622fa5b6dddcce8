"""Who controls a key (issue 12, class 1): a did:key is its own document and is never overridden;
documents for other DIDs count only from a trust registry signed by the verifier's anchor (or, for
the anchor itself, the verifier's own pinned file). An attacker's document listing their key under
a school's, a learner's or the anchor's DID never makes their signature count."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ecvet_credentials.cli.main import cli
from ecvet_credentials.crypto.dids import DidResolver, did_key_document, did_web_document
from ecvet_credentials.core.errors import DidResolutionError
from ecvet_credentials.crypto.keys import KeyPair, load_key_file
from ecvet_credentials.proofs import sign, verify_proofs
from ecvet_credentials.trust.signing import load_trust_registry, sign_trust_registry
from ecvet_credentials.trust.registry import parse_trust_registry
from ecvet_credentials.verify import verify_credential

REPO = Path(__file__).resolve().parents[1]
KEYS = REPO / "keys-example"
PASSPHRASE = b"ecvet-example-do-not-use"
CREATED = "2026-11-20T15:00:00Z"


@pytest.fixture(scope="module")
def keys():
    return {n: load_key_file(KEYS / f"{n}.key", passphrase=PASSPHRASE) for n in ("host", "learner", "authority")}


@pytest.fixture(scope="module")
def attacker():
    return KeyPair.generate("Ed25519")


def forged_document(did: str, attacker: KeyPair) -> dict:
    """A DID document that claims `did` and lists the attacker's key for every purpose."""
    vm = f"{did}#{attacker.public_multibase}"
    return {"@context": ["https://www.w3.org/ns/did/v1"], "id": did,
            "verificationMethod": [{"id": vm, "type": "Multikey", "controller": did,
                                    "publicKeyMultibase": attacker.public_multibase}],
            "assertionMethod": [vm], "authentication": [vm]}


def forged_credential(pt: dict, did: str, attacker: KeyPair) -> dict:
    unsigned = {k: copy.deepcopy(v) for k, v in pt.items() if k != "proof"}
    return sign(unsigned, attacker, created=CREATED, verification_method=f"{did}#{attacker.public_multibase}")


def write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture(scope="module")
def pt(demo_dir):
    return json.loads((demo_dir / "transcript.json").read_text())


# --- the resolver -----------------------------------------------------------------------------------
@pytest.mark.parametrize("who", ["host", "learner", "authority"])
def test_a_did_key_document_is_never_taken_from_documents(keys, attacker, who):
    did = keys[who].did
    forged = forged_document(did, attacker)
    for resolver in (DidResolver({did: forged}), DidResolver()):
        resolver.add(forged)
        assert resolver.resolve(did) == did_key_document(did)
        with pytest.raises(DidResolutionError) as info:
            resolver.verification_method(f"{did}#{attacker.public_multibase}")
        assert info.value.code == "VERIFICATION_METHOD_NOT_FOUND"


def test_registry_documents_count_only_when_the_anchor_signed_it(keys, attacker):
    web = "did:web:school.example"
    data = {"institutions": [
        {"did": web, "name": "School", "roles": ["host"], "didDocument": did_web_document(web, [{"key": attacker}])},
        {"did": keys["host"].did, "name": "Host", "roles": ["host"],
         "didDocument": forged_document(keys["host"].did, attacker)}]}
    assert parse_trust_registry(data).did_documents() == {}  # unsigned: anyone could have written it
    signed = sign_trust_registry(data, keys["authority"])
    registry = parse_trust_registry(signed)
    registry.signed_by = keys["authority"].did
    assert set(registry.did_documents()) == {web}  # signed: the did:web document counts, the did:key one never


# --- a school's did:key: the forged transcript ------------------------------------------------------
@pytest.mark.parametrize("how", ["resolver", "unsigned-registry", "anchor-signed-registry"])
def test_forged_school_document_never_verifies(keys, attacker, pt, tmp_path, how):
    host = pt["issuer"] if isinstance(pt["issuer"], str) else pt["issuer"]["id"]
    assert host == keys["host"].did
    forged = forged_credential(pt, host, attacker)
    data = json.loads((KEYS / "trust-registry.json").read_text())
    for inst in data["institutions"]:
        if inst["did"] == host:
            inst["didDocument"] = forged_document(host, attacker)
            inst["keys"] = []
    options = {}
    if how == "resolver":
        options["resolver"] = DidResolver({host: forged_document(host, attacker)})
    else:
        if how == "anchor-signed-registry":
            data = sign_trust_registry(data, keys["authority"])
        trust = load_trust_registry(write(tmp_path / "r.json", data),
                                    anchor=keys["authority"].did if how == "anchor-signed-registry" else None)
        options.update(trust=trust, resolver=DidResolver(trust.did_documents()))
    report = verify_credential(forged, checks=["proof"], **options)
    proof = next(c for c in report.checks if c.id == "proof")
    assert not report.verified and proof.outcome == "failed" and proof.code == "VERIFICATION_METHOD_UNRESOLVED"


# --- the learner's did:key: an impersonating presentation -------------------------------------------
def test_forged_learner_document_never_proves_holding(keys, attacker, pt):
    learner = keys["learner"].did
    vp = {"@context": ["https://www.w3.org/ns/credentials/v2"], "type": ["VerifiablePresentation"],
          "holder": learner, "verifiableCredential": [pt]}
    signed = sign(vp, attacker, created=CREATED, purpose="authentication", challenge="c-1", domain="verifier.example",
                  verification_method=f"{learner}#{attacker.public_multibase}")
    result = verify_proofs(signed, resolver=DidResolver({learner: forged_document(learner, attacker)}),
                           purpose="authentication", challenge="c-1", domain="verifier.example")
    assert not result.verified and result.code == "VERIFICATION_METHOD_UNRESOLVED"


# --- the CLI: --did-document pins only the anchor's did:web -----------------------------------------
@pytest.mark.parametrize("who", ["host", "learner", "authority"])
def test_cli_refuses_a_did_key_document(runner, keys, attacker, demo_dir, tmp_path, who):
    doc = write(tmp_path / "doc.json", forged_document(keys[who].did, attacker))
    extra = ["--trust", str(KEYS / "trust-registry.json"), "--trust-anchor", keys[who].did] if who == "authority" else []
    result = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--did-document", str(doc), *extra])
    assert result.exit_code == 2 and "its own document" in result.output
    assert "Traceback" not in result.output


def test_cli_refuses_a_did_web_document_that_is_not_the_anchor(runner, attacker, demo_dir, tmp_path):
    web = "did:web:school.example"
    doc = write(tmp_path / "doc.json", did_web_document(web, [{"key": attacker}]))
    for extra in ([], ["--trust", str(KEYS / "trust-registry.json"), "--trust-anchor", "did:web:agency.example"]):
        result = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--did-document", str(doc), *extra])
        assert result.exit_code == 2 and "only pins your --trust-anchor" in result.output


def test_anchor_cannot_be_stood_in_for(keys, attacker, tmp_path):
    """A registry 'signed by the anchor' with the attacker's key under the anchor's did:key is untrusted."""
    anchor = keys["authority"].did
    data = json.loads((KEYS / "trust-registry.json").read_text())
    unsigned = {k: v for k, v in data.items() if k != "proof"}
    forged = sign(unsigned, attacker, cryptosuite="eddsa-jcs-2022", created=CREATED,
                  verification_method=f"{anchor}#{attacker.public_multibase}")
    path = write(tmp_path / "r.json", forged)
    registry = load_trust_registry(path, anchor=anchor, resolver=DidResolver({anchor: forged_document(anchor, attacker)}))
    assert registry.untrusted and registry.signed_by is None and registry.did_documents() == {}


def test_the_anchors_own_did_web_document_can_be_pinned(runner, keys, demo_dir, tmp_path):
    """The one use of --did-document: the verifier pins its did:web anchor's document."""
    anchor = "did:web:agency.example"
    anchor_key = KeyPair.generate("Ed25519")
    doc = write(tmp_path / "agency.json", did_web_document(anchor, [{"key": anchor_key, "id": "k1"}]))
    data = json.loads((KEYS / "trust-registry.json").read_text())
    unsigned = {k: v for k, v in data.items() if k != "proof"}
    signed = sign(unsigned, anchor_key, cryptosuite="eddsa-jcs-2022", created=CREATED, verification_method=f"{anchor}#k1")
    reg = write(tmp_path / "r.json", signed)
    ok = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--json", "--trust", str(reg),
                             "--trust-anchor", anchor, "--did-document", str(doc)])
    checks = {c["id"]: c for c in json.loads(ok.output)["checks"]}
    assert checks["issuer-trusted"]["outcome"] == "passed", checks["issuer-trusted"]
    without = runner.invoke(cli, ["verify", str(demo_dir / "transcript.json"), "--json", "--trust", str(reg),
                                  "--trust-anchor", anchor])
    checks = {c["id"]: c for c in json.loads(without.output)["checks"]}
    assert without.exit_code == 1 and checks["issuer-trusted"]["code"] == "TRUST_REGISTRY_UNTRUSTED"
